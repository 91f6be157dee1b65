package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.List;

/**
 * The persist timer (RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17): while the peer's window is zero and
 * data waits, probe it, backing off exponentially up to RTO max, as Linux tcp_probe_timer() and
 * tcp_send_probe0() do. The connection is given up (ETIMEDOUT) after tcp_retries2 probes in a
 * row that got no answer; any ACK from the peer resets that count (Linux icsk_probes_out). With
 * TCP_USER_TIMEOUT, also once the window has stayed shut that long, answered or not (Linux
 * icsk_probes_tstamp, RFC 5482).
 */
final class Persist {
    private Persist() {
    }

    /** Linux tcp_probe0_when(): max(RTO, TCP_RTO_MIN) shifted by the probe backoff, at most RTO max. */
    static long interval(TcpConnection c) {
        long base = Math.max(c.tcb.rtt.baseRto(), RttEstimator.RTO_MIN_NANOS);
        long max = c.host.config.rtoMax().toNanos();
        long value = base;
        for (int i = 0; i < c.probeBackoff && value < max; i++) {
            value <<= 1;
        }
        return Math.min(value, max);
    }

    /**
     * The persist timer fired: when the window is still zero, a probe, Linux's form
     * (tcp_xmit_probe_skb()): an ACK with sequence SND.UNA - 1 and no data, which the peer must
     * answer with its window (RFC 9293 §3.10.7.4 first, unacceptable segment). When the window
     * is open (it opened meanwhile, or TCP_CORK / MSG_MORE held the data), the first segment goes
     * whatever Nagle and cork say (Linux tcp_write_wakeup()).
     */
    static void onTimeout(TcpConnection c, long now) {
        c.persistAt = Clock.NO_DEADLINE;
        Tcb tcb = c.tcb;
        if (!Transmitter.canSend(c) || tcb.sndUna != tcb.sndNxt || !Seq.lt(tcb.sndNxt, tcb.dataEnd())) {
            c.probesOut = 0;
            c.probesStartedAt = TcpConnection.NEVER;
            return;
        } else if (c.probesStartedAt == TcpConnection.NEVER) {
            c.probesStartedAt = now;
        } else if (c.userTimeoutNanos != 0 && now - c.probesStartedAt >= c.userTimeoutNanos) {
            c.fail(c.softError != null ? c.softError : TcpError.ETIMEDOUT); // Linux: tcp_write_err()
            return;
        }
        if (c.orphaned && OutOfResources.inTimer(c, true, now)) {
            return; // Linux tcp_probe_timer(): tcp_out_of_resources(sk, true) for an orphan
        } else if (c.probesOut >= c.host.config.retries2()) {
            c.fail(c.softError != null ? c.softError : TcpError.ETIMEDOUT); // Linux: tcp_write_err()
            return;
        } else if (tcb.sndWnd > 0) {
            c.probesStartedAt = TcpConnection.NEVER;
            Transmitter.transmit(c, now);
            if (tcb.sndUna == tcb.sndNxt) {
                Transmitter.sendHead(c, now);
            }
            return;
        }
        sendProbe(c, now);
        c.probesOut++;
        c.probeBackoff++;
        c.persistAt = now + clampToUserTimeout(c, interval(c), now);
    }

    /**
     * A window probe or keepalive, Linux tcp_write_wakeup() with nothing to send: an ACK with
     * sequence SND.UNA - 1 and no data (tcp_xmit_probe_skb()), which the peer must answer (RFC
     * 9293 §3.10.7.4 first, unacceptable segment); in urgent mode first one at SND.UNA, so that
     * the urgent pointer gets through.
     */
    static void sendProbe(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        int urgentAhead = Seq.diff(tcb.sndUp, tcb.sndUna);
        if (urgentAhead >= 1 && urgentAhead <= 0xFFFF) {
            c.host.send(c.tuple(), tcb.segment(tcb.sndUna, TcpPacket.ACK, List.of(), TcpRepr.NO_PAYLOAD, now));
        }
        // Linux: tcp_xmit_probe_skb() probes with an old sequence number instead of RFC 9293's one byte.
        c.host.send(c.tuple(), tcb.segment(Seq.sub(tcb.sndUna, 1), TcpPacket.ACK, List.of(), TcpRepr.NO_PAYLOAD, now));
    }

    /**
     * Linux tcp_clamp_probe0_to_user_timeout(): the next probe no later than the user timeout's
     * end, and no sooner than TCP_TIMEOUT_MIN.
     */
    private static long clampToUserTimeout(TcpConnection c, long interval, long now) {
        if (c.userTimeoutNanos == 0 || c.probesStartedAt == TcpConnection.NEVER) {
            return interval;
        }
        long remaining = c.userTimeoutNanos - Math.max(0, now - c.probesStartedAt);
        return Math.min(interval, Math.max(remaining, TcpConnection.TIMEOUT_MIN_NANOS));
    }

    /**
     * An acceptable ACK arrived: the peer is alive; an open window ends the backoff and the user
     * timeout's count (Linux tcp_ack_probe()).
     */
    static void onAck(TcpConnection c) {
        c.probesOut = 0;
        if (c.tcb.sndWnd > 0) {
            c.probeBackoff = 0;
            c.probesStartedAt = TcpConnection.NEVER;
        }
    }
}
