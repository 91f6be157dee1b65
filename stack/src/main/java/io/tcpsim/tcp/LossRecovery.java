package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * What an acceptable ACK does to the sender (RFC 9293 §3.10.7.4 fifth step, after SND.UNA
 * moved): an RTT sample (RFC 6298 §3, Karn), the retransmission timer restarted or stopped
 * (RFC 6298 §5.2-5.3), congestion window growth (RFC 5681 §3.1), and fast retransmit with
 * NewReno fast recovery on duplicate ACKs (RFC 5681 §3.2, RFC 6582 §3.2) when SACK is not in use;
 * with SACK, {@link SackRecovery} (RACK-TLP, RFC 8985, and PRR, RFC 6937, as Linux).
 */
final class LossRecovery {
    /** RFC 5681 §3.2 (Linux tcp_reordering): duplicate ACKs that trigger a fast retransmit. */
    static final int DUP_ACK_THRESHOLD = 3;

    private LossRecovery() {
    }

    /**
     * RFC 5681 §2 "duplicate acknowledgment": data outstanding, no payload, no SYN or FIN,
     * SEG.ACK = SND.UNA and the same window as before. Checked before the window is updated.
     */
    static boolean isDuplicate(Tcb tcb, TcpRepr seg) {
        return tcb.sndUna != tcb.sndNxt && seg.payloadLength() == 0
                && !seg.hasFlags(TcpPacket.SYN) && !seg.hasFlags(TcpPacket.FIN) && seg.ack() == tcb.sndUna
                && (seg.window() << tcb.sndWscale) == tcb.sndWnd;
    }

    /** {@code acked} bytes of sequence space newly acknowledged by {@code seg}; SND.UNA already moved. */
    static void onNewAck(TcpConnection c, int acked, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        boolean sampled = sampleRtt(tcb, seg, now);
        if (tcb.sackOk) {
            SackRecovery.onAck(c, seg, true, acked, sampled, now);
            return;
        } else if (tcb.inRecovery) {
            onRecoveryAck(c, acked, now);
        } else {
            tcb.dupAcks = 0;
            tcb.cc.onAck(tcb, acked, now);
        }
        // RFC 6298 §5.2-5.3: stop the timer when all is acknowledged, else restart it.
        Retransmitter.arm(c, XmitTimer.RTO, tcb.sndUna == tcb.sndNxt ? Clock.NO_DEADLINE : now + tcb.rtt.currentRto());
    }

    /**
     * An acceptable ACK that acknowledges nothing new: with SACK its blocks update the scoreboard
     * ({@link SackRecovery}), else a duplicate ACK counts (RFC 5681 §3.2). Checked before the
     * window update.
     */
    static void onOldAck(TcpConnection c, TcpRepr seg, long now) {
        if (c.tcb.sackOk) {
            SackRecovery.onAck(c, seg, false, 0, false, now);
        } else if (isDuplicate(c.tcb, seg)) {
            onDuplicate(c, now);
        }
    }

    /**
     * An ACK that acknowledged new data (the SYN included): an RTT sample from the timed segment
     * (RFC 6298 §3, Karn), else from the echoed timestamp (RFC 7323 §4.1), so with timestamps
     * every such ACK gives one, as Linux tcp_ack_update_rtt() prefers the sequence sample and
     * falls back to TSecr when Karn's rule forbids it.
     *
     * @return whether the ACK gave a sample
     */
    static boolean sampleRtt(Tcb tcb, TcpRepr seg, long now) {
        if (tcb.rtt.onAck(tcb.sndUna, now)) {
            return true;
        }
        long r = tcb.ts.rttSample(seg, now);
        if (r >= 0) {
            tcb.rtt.sample(r);
        }
        return r >= 0;
    }

    /**
     * RFC 6582 §3.2 step 3: a full ACK (beyond "recover") ends recovery with cwnd =
     * min(ssthresh, max(FlightSize, SMSS) + SMSS); a partial ACK sends the next unacknowledged
     * segment again and deflates cwnd by what it acknowledged, adding back one SMSS when that was
     * at least one SMSS.
     */
    private static void onRecoveryAck(TcpConnection c, int acked, long now) {
        Tcb tcb = c.tcb;
        int mss = tcb.effectiveMss();
        if (Seq.gt(tcb.sndUna, tcb.recover)) {
            tcb.cwnd = Math.min(tcb.ssthresh, Math.max(tcb.flight(), mss) + mss);
            tcb.inRecovery = false;
            tcb.dupAcks = 0;
            return;
        }
        Transmitter.resendFirst(c, now);
        tcb.cwnd = Math.max(tcb.cwnd - acked + (acked >= mss ? mss : 0), mss);
    }

    /**
     * RFC 5681 §3.2 steps 2-4 with RFC 6582 §3.2 steps 1-2: the third duplicate ACK starts fast
     * retransmit when it covers more than "recover" (ssthresh from the algorithm, the segment at
     * SND.UNA again, cwnd = ssthresh + 3 SMSS); each further one inflates cwnd by SMSS.
     */
    static void onDuplicate(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        int mss = tcb.effectiveMss();
        tcb.dupAcks++;
        if (tcb.inRecovery) {
            tcb.cwnd += mss;
        } else if (tcb.dupAcks == DUP_ACK_THRESHOLD && Seq.gt(tcb.sndUna, tcb.recover)
                && !Seq.lt(tcb.rtxNxt, tcb.sndNxt)) {
            tcb.ssthresh = tcb.cc.ssthresh(tcb, now);
            tcb.recover = Seq.sub(tcb.sndNxt, 1);
            tcb.inRecovery = true;
            c.host.counters.renoRecovery++;
            Transmitter.resendFirst(c, now);
            tcb.cwnd = tcb.ssthresh + DUP_ACK_THRESHOLD * mss;
        }
    }
}
