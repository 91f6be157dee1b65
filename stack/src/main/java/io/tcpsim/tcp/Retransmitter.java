package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * The retransmission timer's expiry (RFC 6298 §5.4-5.7) for SYN, SYN-ACK, data and FIN, and when
 * to give up: after the configured retries, or, with TCP_USER_TIMEOUT (RFC 5482), once data has
 * waited that long since the first retransmission (Linux tcp_write_timeout()).
 */
final class Retransmitter {
    /** One jiffy at HZ=1000: Linux fires a user timeout that has passed this soon. */
    private static final long JIFFY_NANOS = 1_000_000L;

    private Retransmitter() {
    }

    /**
     * RTO expiry: the SYN or SYN-ACK again on the initial RTO's backoff; in the synchronized
     * states, everything outstanding is taken as lost and sent again from SND.UNA (go-back-N),
     * one segment now (cwnd = 1 SMSS, RFC 5681 §3.1), the RTO doubled (RFC 6298 §5.5); once the
     * retries are spent, give up.
     */
    static void onRetransmitTimeout(TcpConnection c, long now) {
        c.rtoAt = Clock.NO_DEADLINE;
        Tcb tcb = c.tcb;
        TcpRepr again = switch (c.state()) {
            case SYN_SENT -> tcb.syn(TcpPacket.SYN, tcb.synOptions(now), now);
            case SYN_RECEIVED -> c.synAck(now);
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK, CLOSED, LISTEN, FIN_WAIT_2, TIME_WAIT -> null;
        };
        boolean synchronizedData = again == null && Transmitter.canSend(c) && tcb.sndUna != tcb.sndNxt;
        if (again == null && !synchronizedData) {
            return;
        } else if (expired(c, now)) {
            giveUp(c);
            return;
        }
        if (again != null) {
            c.retransmits++;
            tcb.rtt.cancelTiming(); // Karn (RFC 6298 §3): no RTT sample from a SYN or SYN-ACK sent again
            c.host.retransmit(c.tuple(), again);
            long rto = c.host.backoff(c.host.config.initialRto().toNanos(), c.retransmits);
            c.rtoAt = now + clampToUserTimeout(c, rto, now);
        } else {
            goBackN(c, now);
        }
    }

    /**
     * RFC 5681 §3.1 (ssthresh only on the first timeout of a segment, as Linux tcp_enter_loss()),
     * RFC 6582 §4 (recover = highest sequence sent, so stale duplicate ACKs start no fast
     * retransmit), RFC 6298 §5.5-5.6.
     */
    private static void goBackN(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (c.retransmits == 0) {
            tcb.ssthresh = tcb.cc.ssthresh(tcb, now);
        }
        tcb.cc.reset();
        tcb.cwnd = tcb.effectiveMss();
        tcb.inRecovery = false;
        tcb.dupAcks = 0;
        tcb.recover = Seq.sub(tcb.sndNxt, 1);
        tcb.rtxNxt = tcb.sndUna;
        tcb.rtt.cancelTiming();
        tcb.rtt.backOff();
        c.retransmits++;
        c.host.counters.timeouts++;
        Transmitter.transmit(c, now);
        c.rtoAt = now + clampToUserTimeout(c, tcb.rtt.currentRto(), now);
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
     * end (one jiffy from now when it has passed), so the connection fails on time.
     */
    private static long clampToUserTimeout(TcpConnection c, long rto, long now) {
        if (c.userTimeoutNanos == 0 || c.retransStampAt == TcpConnection.NEVER
                || (c.parent != null && c.state() == TcpState.SYN_RECEIVED)) {
            return rto;
        }
        long remaining = c.userTimeoutNanos - (now - c.retransStampAt);
        return remaining <= 0 ? JIFFY_NANOS : Math.min(rto, remaining);
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
