package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * The retransmission timer (RFC 6298 §5.4-5.7) for SYN, SYN-ACK, data and FIN, and when to give
 * up: after the configured retries, or, with TCP_USER_TIMEOUT (RFC 5482), once data has waited
 * that long since its first retransmission (Linux tcp_write_timeout()). As in Linux the one timer
 * also serves RACK's reorder timer and the tail loss probe ({@link XmitTimer}); the user timeout
 * bounds those too.
 */
final class Retransmitter {
    /** One jiffy at HZ=1000: Linux fires a user timeout that has passed this soon. */
    private static final long JIFFY_NANOS = 1_000_000L;

    private Retransmitter() {
    }

    /**
     * Sets the retransmission timer for {@code kind} to fire at {@code at}, or at the user
     * timeout's end if that comes first ({@link #clampToUserTimeout}).
     */
    static void arm(TcpConnection c, XmitTimer kind, long at) {
        c.rtoAt = at == Clock.NO_DEADLINE ? at : Math.min(clampToUserTimeout(c, at), c.keepInitDeadline());
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
     * (go-back-N), one segment now (RFC 5681 §3.1), the RTO backed off (RFC 6298 §5.5, as the
     * config's {@link RtoPolicy} does it); once the retries are spent, or an opening connection's
     * establishment timer (FreeBSD TCP_KEEPINIT, tcp_timer_keep()) has passed, give up.
     */
    static void onRetransmitTimeout(TcpConnection c, long now) {
        c.rtoAt = Clock.NO_DEADLINE;
        Tcb tcb = c.tcb;
        if (c.keepInitExpired(now) || (tcb.xmitTimer != XmitTimer.RTO && userTimedOut(c, now))) {
            giveUp(c);
            return;
        }
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
        } else if (synchronizedData && c.orphaned && orphanOutOfResources(c, now)) {
            return;
        } else if (expired(c, now)) {
            giveUp(c);
            return;
        }
        tcb.stats.totalRto++;
        if (again != null) {
            c.retransmits++;
            tcb.stats.totalRetrans++;
            tcb.rtt.cancelTiming(); // Karn (RFC 6298 §3): no RTT sample from a SYN or SYN-ACK sent again
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

    /**
     * Linux tcp_write_timeout(): a listener's request after tcp_synack_retries; an opening
     * connection after tcp_syn_retries or its user timeout, whichever comes first; a synchronized
     * one after its user timeout when set (RFC 5482: it replaces the retry count), else after
     * tcp_retries2 (orphans: tcp_orphan_retries). The user timeout counts from Linux retrans_stamp:
     * the SYN, or the first retransmission of the data.
     */
    private static boolean expired(TcpConnection c, long now) {
        boolean request = c.parent != null && c.state() == TcpState.SYN_RECEIVED;
        boolean opening = c.state() == TcpState.SYN_SENT || (c.state() == TcpState.SYN_RECEIVED && c.parent == null);
        long user = c.userTimeoutNanos;
        boolean userExpired = user != 0 && c.retransmits > 0 && now - c.retransStampAt >= user;
        if (request) {
            return c.retransmits >= retryLimit(c);
        } else if (opening) {
            return c.retransmits >= retryLimit(c) || userExpired;
        }
        return user != 0 ? userExpired : c.retransmits >= retryLimit(c);
    }

    /**
     * Linux tcp_clamp_rto_to_user_timeout(): the timer fires no later than the user timeout's
     * end, so the connection fails on time. Linux clamps only the RTO rearmed by its expiry; here
     * every arming is clamped, so a RACK reorder or probe timer cannot outlive the user timeout.
     */
    private static long clampToUserTimeout(TcpConnection c, long at) {
        if (c.userTimeoutNanos == 0 || c.retransStampAt == TcpConnection.NEVER
                || (c.parent != null && c.state() == TcpState.SYN_RECEIVED)) {
            return at;
        }
        long end = c.retransStampAt + c.userTimeoutNanos;
        return Math.min(at, Math.max(end, c.retransStampAt + JIFFY_NANOS));
    }

    /**
     * An ACK moved SND.UNA: once it covers everything sent before the last loss (RFC 6582
     * "recover"), no retransmission is outstanding and the user timeout's start is forgotten
     * (Linux clears retrans_stamp when recovery ends).
     */
    static void onAckAdvanced(TcpConnection c) {
        c.retransmits = 0;
        if (Seq.gt(c.tcb.sndUna, c.tcb.recover)) {
            c.retransStampAt = TcpConnection.NEVER;
        }
    }

    /**
     * The user timeout has passed since the first retransmission of the data (RACK, the tail loss
     * probe or a fast retransmit sent it): the connection fails when the reorder or probe timer
     * fires, as it would with the RTO.
     */
    private static boolean userTimedOut(TcpConnection c, long now) {
        return c.userTimeoutNanos != 0 && c.retransStampAt != TcpConnection.NEVER
                && now - c.retransStampAt >= c.userTimeoutNanos;
    }

    /**
     * Linux tcp_write_timeout() for an orphan: a reset is owed while the RTO is below its cap or
     * the retries are not spent ({@code do_reset = alive || !retransmits_timed_out()}), then
     * {@link OutOfResources#inTimer}.
     */
    private static boolean orphanOutOfResources(TcpConnection c, long now) {
        boolean alive = c.tcb.rtt.currentRto() < c.host.config.rtoMax().toNanos();
        return OutOfResources.inTimer(c, alive || !expired(c, now), now);
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
