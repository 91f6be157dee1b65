package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * The retransmission timer (RFC 6298 §5.4-5.7) for SYN, SYN-ACK, data and FIN. As in Linux the
 * one timer also serves RACK's reorder timer and the tail loss probe ({@link XmitTimer}).
 */
final class Retransmitter {
    private Retransmitter() {
    }

    /** Sets the retransmission timer for {@code kind} to fire at {@code at}. */
    static void arm(TcpConnection c, XmitTimer kind, long at) {
        c.rtoAt = at;
        c.tcb.xmitTimer = kind;
    }

    /**
     * Linux tcp_rearm_rto(): no timer once everything is acknowledged; else the RTO from now, or,
     * when the timer was set for RACK or a probe, from when the segment at SND.UNA was last sent.
     */
    static void rearmRto(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (tcb.sndUna == tcb.sndNxt) {
            arm(c, XmitTimer.RTO, Clock.NO_DEADLINE);
            return;
        }
        long rto = tcb.rtt.currentRto();
        long at = now + rto;
        if (tcb.xmitTimer != XmitTimer.RTO) {
            at = Math.max(tcb.scoreboard.headSentAt(now) + rto, now + 1);
        }
        arm(c, XmitTimer.RTO, at);
    }

    /**
     * The timer fired: RACK's reorder timer and the probe timer go to {@link SackRecovery} and
     * {@link TailLossProbe}. RTO expiry: the SYN or SYN-ACK again on the initial RTO's backoff; in
     * the synchronized states, everything outstanding is taken as lost and sent again from SND.UNA
     * (go-back-N), one segment now (RFC 5681 §3.1), the RTO doubled (RFC 6298 §5.5); once the
     * retries are spent, give up.
     */
    static void onRetransmitTimeout(TcpConnection c, long now) {
        c.rtoAt = Clock.NO_DEADLINE;
        Tcb tcb = c.tcb;
        switch (tcb.xmitTimer) {
            case REORDER -> {
                SackRecovery.onReorderTimeout(c, now);
                return;
            }
            case LOSS_PROBE -> {
                TailLossProbe.onTimeout(c, now);
                return;
            }
            case RTO -> { }
        }
        TcpRepr again = switch (c.state()) {
            case SYN_SENT -> tcb.syn(TcpPacket.SYN, tcb.synOptions(now), now);
            case SYN_RECEIVED -> c.synAck(now);
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK, CLOSED, LISTEN, FIN_WAIT_2, TIME_WAIT -> null;
        };
        boolean synchronizedData = again == null && Transmitter.canSend(c) && tcb.sndUna != tcb.sndNxt;
        if (again == null && !synchronizedData) {
            return;
        } else if (c.retransmits >= retryLimit(c)) {
            giveUp(c);
            return;
        }
        tcb.stats.totalRto++;
        if (again != null) {
            c.retransmits++;
            tcb.stats.totalRetrans++;
            c.host.retransmit(c.tuple(), again);
            arm(c, XmitTimer.RTO, now + c.host.backoff(c.host.config.initialRto().toNanos(), c.retransmits));
        } else {
            goBackN(c, now);
        }
    }

    /**
     * RFC 5681 §3.1 (ssthresh only on the first timeout of a segment, as Linux tcp_enter_loss()),
     * RFC 6582 §4 (recover = highest sequence sent, so stale duplicate ACKs start no fast
     * retransmit; RFC 6675 §5.1 the same for RecoveryPoint), RFC 6298 §5.5-5.6. Without SACK,
     * cwnd = 1 SMSS and go-back-N from SND.UNA; with SACK, the segments found lost are sent again
     * in order, what the peer SACKed skipped unless it reneged ({@link SackRecovery#onTimeout}),
     * and cwnd is what is still in flight plus 1 SMSS (Linux tcp_enter_loss()).
     */
    private static void goBackN(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (c.retransmits == 0) {
            tcb.ssthresh = tcb.cc.ssthresh(tcb, now);
            tcb.stats.totalRtoRecoveries++;
        }
        tcb.cc.reset();
        tcb.inRecovery = false;
        tcb.dupAcks = 0;
        tcb.recover = Seq.sub(tcb.sndNxt, 1);
        if (tcb.sackOk) {
            SackRecovery.onTimeout(c, now);
            tcb.cwnd = tcb.pipe() + tcb.effectiveMss();
        } else {
            tcb.rtxNxt = tcb.sndUna;
            tcb.cwnd = tcb.effectiveMss();
        }
        tcb.rtt.cancelTiming();
        tcb.rtt.backOff();
        c.retransmits++;
        c.host.counters.timeouts++;
        Transmitter.transmit(c, now);
        arm(c, XmitTimer.RTO, now + tcb.rtt.currentRto());
    }

    /** tcp_syn_retries, tcp_synack_retries for a listener's request, else orphan retries or tcp_retries2. */
    private static int retryLimit(TcpConnection c) {
        TcpConfig config = c.host.config;
        if (c.state() == TcpState.SYN_SENT || (c.state() == TcpState.SYN_RECEIVED && c.parent == null)) {
            return config.synRetries();
        } else if (c.state() == TcpState.SYN_RECEIVED) {
            return config.synAckRetries();
        }
        // Linux: tcp_retries2 is turned into a time (tcp_model_timeout()); counting is the same with RTO 200 ms.
        return c.orphaned ? config.orphanRetries() : config.retries2();
    }

    /**
     * Retries spent: a listener's request is dropped silently (Linux reqsk_timer_handler()); a
     * connection fails with the ICMP error it kept, else ETIMEDOUT, without a RST (tcp_write_err()).
     */
    private static void giveUp(TcpConnection c) {
        if (c.parent != null && c.state() == TcpState.SYN_RECEIVED) {
            c.release(); // Linux: the request is dropped without a RST
        } else {
            c.fail(c.softError != null ? c.softError : TcpError.ETIMEDOUT);
        }
    }
}
