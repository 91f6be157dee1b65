package io.tcpsim.tcp;

import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/** The rate limits on ACKs that answer unacceptable segments (Linux tcp_oow_rate_limited(), RFC 5961 §7). */
final class OutOfWindowAcks {
    private OutOfWindowAcks() {
    }

    /**
     * Linux tcp_oow_rate_limited(): an ACK answering an out-of-window, duplicate SYN or challenged
     * segment goes out at most once per tcp_invalid_ratelimit, unless the segment carries data.
     */
    static boolean limited(TcpConnection c, TcpRepr seg, long now) {
        if (seg.payloadLength() > 0 && !seg.hasFlags(TcpPacket.SYN)) {
            return false;
        }
        return rateLimited(c, now);
    }

    /** Linux __tcp_oow_rate_limited(): one ACK per tcp_invalid_ratelimit, data or not. */
    private static boolean rateLimited(TcpConnection c, long now) {
        if (c.lastOowAckAt != Long.MIN_VALUE && now - c.lastOowAckAt < c.host.config.invalidRateLimit().toNanos()) {
            return true;
        }
        c.lastOowAckAt = now;
        return false;
    }

    /**
     * RFC 5961 §3.2, §4 and §5: a challenge ACK, rate limited per connection even when the
     * segment carries data (Linux tcp_send_challenge_ack() calls __tcp_oow_rate_limited() without
     * the segment; a skipped one counts TcpExtTCPACKSkippedChallenge), then globally (RFC 5961 §7).
     */
    static void challenge(TcpConnection c, TcpRepr seg, long now) {
        if (rateLimited(c, now)) {
            c.host.counters.ackSkippedChallenge++;
        } else if (c.host.challengeAckAllowed(now)) {
            c.host.counters.challengeAcks++;
            c.host.send(c.tuple(), c.tcb.ack(now));
        }
    }
}
