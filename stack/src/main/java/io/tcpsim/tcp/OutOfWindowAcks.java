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
        if (seg.payload().byteSize() > 0 && !seg.hasFlags(TcpPacket.SYN)) {
            return false;
        } else if (c.lastOowAckAt != Long.MIN_VALUE
                && now - c.lastOowAckAt < c.host.config.invalidRateLimit().toNanos()) {
            return true;
        }
        c.lastOowAckAt = now;
        return false;
    }

    /** RFC 5961 §3.2, §4 and §5: a challenge ACK, rate limited per connection and globally. */
    static void challenge(TcpConnection c, TcpRepr seg, long now) {
        if (!limited(c, seg, now) && c.host.challengeAckAllowed(now)) {
            c.host.counters.challengeAcks++;
            c.host.send(c.tuple(), c.tcb.ack(now));
        }
    }
}
