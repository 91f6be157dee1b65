package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * What a connection sends on its own: segments an RTO marked lost, then queued data and FIN
 * within the peer's window and the congestion window, window updates, zero-window probes.
 */
final class Transmitter {
    /** RFC 6928: the initial window, 10 segments (Linux TCP_INIT_CWND). */
    static final int INITIAL_WINDOW_SEGMENTS = 10;

    private Transmitter() {
    }

    /**
     * Sends, in order: what is known lost (without SACK go-back-N from RTX.NXT after an RTO; with
     * SACK the segments marked lost, {@link SackRecovery#resendLost}), then new data in segments
     * of at most the current MSS within SND.WND (RFC 9293 §3.8.6.2.1) and cwnd less what is in
     * flight (RFC 5681 §3.1; pipe with SACK, RFC 6675), sub-MSS segments only as Nagle allows;
     * PSH on the segment that ends a write or empties the queue (Linux tcp_push()); the FIN on the last data
     * segment or alone. Then the timers: the tail loss probe after new data (RFC 8985 §7.2), the
     * retransmission timer (RFC 6298 §5.1) or the persist timer (RFC 9293 §3.8.6.1).
     *
     * @return whether anything was sent
     */
    static boolean transmit(TcpConnection c, long now) {
        if (!canSend(c)) {
            return false;
        }
        restartAfterIdle(c, now);
        int mss = c.tcb.currentMss();
        boolean sent = c.tcb.sackOk ? SackRecovery.resendLost(c, mss, now) : resendLost(c, mss, now);
        boolean sentNew = sendNew(c, mss, now);
        armTimers(c, now, sentNew);
        return sent || sentNew;
    }

    private static boolean resendLost(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        boolean sent = false;
        while (Seq.lt(tcb.rtxNxt, tcb.sndNxt) && tcb.flight() < tcb.cwnd) {
            int len = Math.min(mss, Seq.diff(tcb.sndNxt, tcb.rtxNxt));
            tcb.rtxNxt = Seq.add(tcb.rtxNxt, sendAt(c, tcb.rtxNxt, len, true, now));
            sent = true;
        }
        return sent;
    }

    private static boolean sendNew(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        if (Seq.lt(tcb.rtxNxt, tcb.sndNxt)) {
            return false;
        }
        boolean sent = false;
        int goal = SegmentationOffload.sizeGoal(c, mss);
        for (int remaining = Seq.diff(tcb.dataEnd(), tcb.sndNxt); remaining > 0;
                remaining = Seq.diff(tcb.dataEnd(), tcb.sndNxt)) {
            int window = Seq.diff(Seq.add(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
            int cwndRoom = tcb.cwnd - tcb.pipe();
            int len = Math.min(Math.min(mss, remaining), Math.min(window, cwndRoom));
            if (len <= 0 || (len < mss && !nagleAllows(tcb, len == remaining && tcb.finQueued))) {
                return sent;
            }
            if (len == mss) {
                len = SegmentationOffload.newDataLength(goal, mss, remaining, window, cwndRoom);
            }
            sendNewSegment(c, len, mss, now);
            sent = true;
        }
        if (tcb.finQueued && tcb.sndNxt == tcb.dataEnd()) {
            sendNewSegment(c, 0, mss, now); // a FIN alone passes Nagle and cwnd (Linux tcp_nagle_test())
            sent = true;
        }
        return sent;
    }

    /**
     * RFC 8985 §7.3 (Linux tcp_send_loss_probe()): a probe of new data, one segment past cwnd and
     * Nagle, when there is new data and the peer's window takes it.
     *
     * @return whether it was sent
     */
    static boolean sendNewProbe(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        int len = Math.min(mss, Seq.diff(tcb.dataEnd(), tcb.sndNxt));
        if (len <= 0 || Seq.gt(Seq.add(tcb.sndNxt, len), Seq.add(tcb.sndUna, tcb.sndWnd))) {
            return false;
        }
        sendNewSegment(c, len, mss, now);
        return true;
    }

    private static void sendNewSegment(TcpConnection c, int len, int mss, long now) {
        sendNewSegment(c, len, mss, false, now);
    }

    /** Sends {@code len} bytes of new data: over {@code mss}, one segment the link cuts (TSO). */
    private static void sendNewSegment(TcpConnection c, int len, int mss, boolean push, long now) {
        Tcb tcb = c.tcb;
        int advance = sendAt(c, tcb.sndNxt, len, false, push, Math.max(mss, 1), now);
        tcb.sndNxt = Seq.add(tcb.sndNxt, advance);
        tcb.rtxNxt = tcb.sndNxt;
        tcb.rtt.startTiming(tcb.sndNxt, now);
        if (len < mss) {
            tcb.sndSml = tcb.sndNxt;
        }
    }

    /**
     * Nagle (RFC 896, RFC 9293 §3.7.4) in Linux's form (tcp_nagle_check()): a sub-MSS segment
     * waits under TCP_CORK, or, without TCP_NODELAY, while an earlier sub-MSS segment is
     * unacknowledged (Minshall's variant); one carrying the FIN goes at once, and so does
     * everything in urgent mode (Linux tcp_nagle_test(), even under TCP_CORK), and everything
     * after TCP_NODELAY was set until the next write (Linux TCP_NAGLE_PUSH). The same test
     * governs a segment cut short by the peer's window (Linux tcp_mss_split_point(): sender
     * silly window avoidance).
     */
    static boolean nagleAllows(Tcb tcb, boolean carriesFin) {
        if (carriesFin || tcb.urgentMode() || tcb.pushQueued) {
            return true;
        } else if (tcb.cork) {
            return false;
        }
        // Linux: Minshall's rule (tcp_minshall_check()) instead of "any unacknowledged data" (RFC 896).
        return tcb.noDelay || tcb.flight() == 0 || !(Seq.gt(tcb.sndSml, tcb.sndUna) && Seq.le(tcb.sndSml, tcb.sndNxt));
    }

    /** Sends again the first unacknowledged segment (fast retransmit, RFC 5681 §3.2 step 4). */
    static void resendFirst(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        sendAt(c, tcb.sndUna, Math.min(tcb.currentMss(), Seq.diff(tcb.sndNxt, tcb.sndUna)), true, now);
        c.host.counters.fastRetransmits++;
    }

    /**
     * Sends up to {@code maxLen} queued bytes from {@code seq} (never beyond SND.NXT when sent
     * again), with the FIN when they reach the
     * end of a queue that has one; a retransmission counts in RetransSegs and voids the RTT
     * timing (Karn, RFC 6298 §3).
     *
     * @return the sequence space used (bytes, plus one for a FIN)
     */
    static int sendAt(TcpConnection c, int seq, int maxLen, boolean again, long now) {
        return sendAt(c, seq, maxLen, again, false, Math.max(maxLen, 1), now);
    }

    /**
     * {@link #sendAt(TcpConnection, int, int, boolean, long)} with PSH when {@code push}, and, over
     * a link that segments (TSO), data beyond {@code mss} bytes cut by the link into segments of
     * {@code mss}, each counted (OutSegs or RetransSegs, Linux tcp_skb_pcount()) and each its own
     * segment on the scoreboard. Over such a link every data segment leaves its checksum to it.
     */
    private static int sendAt(TcpConnection c, int seq, int maxLen, boolean again, boolean push, int mss,
                              long now) {
        Tcb tcb = c.tcb;
        int end = tcb.dataEnd(); // once: an application's thread may append meanwhile
        int len = Math.min(maxLen, Seq.diff(end, seq));
        boolean last = Seq.add(seq, len) == end;
        boolean fin = last && tcb.finQueued;
        // Linux: PSH on the segment that ends a write (tcp_push()) and when the queue empties; FIN
        // rides on the last data segment (tcp_send_fin()).
        boolean endsAWrite = !again && tcb.endsAWrite(seq, len);
        int flags = TcpPacket.ACK | ((last || push || endsAWrite) && len > 0 ? TcpPacket.PSH : 0)
                | (fin ? TcpPacket.FIN : 0);
        TcpRepr segment = tcb.dataSegment(seq, flags, Seq.diff(seq, tcb.sndQueueSeq), len, now);
        int segments = SegmentationOffload.segments(len, mss);
        tcb.stats.bytesSent += len;
        tcb.stats.segsOut += segments - 1;
        tcb.stats.dataSegsOut += segments - 1;
        if (again) {
            tcb.stats.bytesRetrans += len;
            tcb.stats.totalRetrans += segments;
            tcb.rtt.cancelTiming();
            if (c.retransStampAt == TcpConnection.NEVER) {
                c.retransStampAt = now; // Linux retrans_stamp: the first retransmission
            }
        }
        transmit(c, segment, len, mss, segments, again);
        if (len > 0) {
            tcb.lastSendAt = now;
        }
        int used = len + (fin ? 1 : 0);
        if (tcb.sackOk && used > 0) {
            recordSegments(tcb, seq, len, used, mss, again, now);
        }
        return used;
    }

    /** Hands the segment to the host: a data segment to a link that segments (TSO) as such. */
    private static void transmit(TcpConnection c, TcpRepr segment, int len, int mss, int segments, boolean again) {
        if (len > 0 && c.host.segmentationLimit() > 0) {
            c.host.sendSegmented(c.tuple(), segment, mss, segments, again);
        } else if (again) {
            c.host.retransmit(c.tuple(), segment);
        } else {
            c.host.send(c.tuple(), segment);
        }
    }

    /** Each segment the link makes of {@code len} bytes from {@code seq} on the scoreboard, the FIN with the last. */
    private static void recordSegments(Tcb tcb, int seq, int len, int used, int mss, boolean again, long now) {
        int at = 0;
        do {
            int piece = len - at > mss ? mss : used - at;
            record(tcb, Seq.add(seq, at), piece, again, now);
            at += piece;
        } while (at < used);
    }

    /** The segment on the SACK scoreboard with its transmit time (RFC 8985 §6.1), and in PRR's prr_out. */
    private static void record(Tcb tcb, int seq, int used, boolean again, long now) {
        if (again) {
            tcb.scoreboard.retransmitted(seq, Seq.add(seq, used), now);
        } else {
            tcb.scoreboard.appended(seq, Seq.add(seq, used), now);
        }
        if (tcb.inRecovery) {
            tcb.prr.onSent(used); // RFC 6937 §3: prr_out += data sent
        }
    }

    /**
     * RFC 6298 §5.1: the retransmission timer runs while anything is outstanding; new data sent
     * sets the tail loss probe's timer instead when it may run (RFC 8985 §7.2; Linux
     * tcp_write_xmit()), and a probe timer that may not becomes the RTO (Linux
     * tcp_event_new_data_sent()). With nothing outstanding and data waiting, the persist timer
     * (RFC 9293 §3.8.6.1; Linux tcp_check_probe_timer()) takes over: for a zero window, and
     * (Linux) for data TCP_CORK or MSG_MORE holds back, which therefore goes after one RTO at the
     * latest (tcp(7)'s "200 ms ceiling").
     */
    private static void armTimers(TcpConnection c, long now, boolean sentNew) {
        Tcb tcb = c.tcb;
        if (tcb.sndUna != tcb.sndNxt) {
            c.persistAt = Clock.NO_DEADLINE;
            if (sentNew && TailLossProbe.schedule(c, now, false)) {
                return;
            } else if (c.rtoAt == Clock.NO_DEADLINE) {
                Retransmitter.arm(c, XmitTimer.RTO, now + tcb.rtt.currentRto());
            } else if (sentNew && tcb.xmitTimer == XmitTimer.LOSS_PROBE) {
                Retransmitter.rearmRto(c, now);
            }
        } else if (Seq.lt(tcb.sndNxt, tcb.dataEnd())) {
            if (c.persistAt == Clock.NO_DEADLINE) {
                c.persistAt = now + Persist.interval(c);
            }
        } else {
            c.persistAt = Clock.NO_DEADLINE;
        }
    }

    /**
     * Restart after idle (RFC 5681 §4.1), as Linux tcp_cwnd_restart(): after an idle period
     * longer than the RTO, cwnd halves once per RTO elapsed, down to min(IW, cwnd).
     */
    private static void restartAfterIdle(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        long rto = tcb.rtt.currentRto();
        if (tcb.sndUna != tcb.sndNxt || tcb.lastSendAt == Long.MIN_VALUE || now - tcb.lastSendAt <= rto) {
            return;
        }
        int restart = Math.min(initialWindow(tcb), tcb.cwnd);
        int cwnd = tcb.cwnd;
        // Linux: halves per RTO of idleness rather than RFC 5681's straight min(IW, cwnd).
        for (long idle = now - tcb.lastSendAt - rto; idle > 0 && cwnd > restart; idle -= rto) {
            cwnd >>= 1;
        }
        tcb.cwnd = Math.max(cwnd, restart);
        tcb.cc.reset();
        tcb.lastSendAt = now;
    }

    /**
     * Linux tcp_write_wakeup(), the persist timer with an open window: the first queued segment
     * goes whatever Nagle and cork say, with PSH, cut to the window.
     */
    static void sendHead(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        int mss = tcb.currentMss();
        int window = Seq.diff(Seq.add(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
        int len = Math.min(Math.min(mss, window), Seq.diff(tcb.dataEnd(), tcb.sndNxt));
        if (len > 0 && canSend(c)) {
            sendNewSegment(c, len, mss, true, now);
            armTimers(c, now, true);
        }
    }

    /** RFC 6928 §2: IW = 10 segments (Linux TCP_INIT_CWND, counted in segments of the MSS). */
    static int initialWindow(Tcb tcb) {
        return INITIAL_WINDOW_SEGMENTS * tcb.effectiveMss();
    }

    static boolean canSend(TcpConnection c) {
        return c.tcb.synAcked() && switch (c.state()) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, LAST_ACK, CLOSING -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_2, TIME_WAIT -> false;
        };
    }

    /**
     * Linux tcp_cleanup_rbuf(): after a read, a window update when the offered window has fallen
     * to half the clamp or less and the new one, after receiver silly window avoidance, is at
     * least twice it (RFC 9293 §3.8.6.2.2).
     */
    static void updateWindowAfterRead(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        boolean receiving = switch (c.state()) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> false;
        };
        int offered = tcb.rcvWnd;
        if (receiving && !tcb.finReceived && 2L * offered <= tcb.rcvWndClamp) {
            int available = tcb.newWindow();
            if (available > 0 && available >= 2L * offered) {
                c.host.send(c.tuple(), tcb.ack(now));
            }
        }
    }
}
