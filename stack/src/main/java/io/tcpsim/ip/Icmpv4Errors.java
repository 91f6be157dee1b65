package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Ipv4Packet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * The ICMP errors tcpsim sends (RFC 792, RFC 1122 §3.2.2), as Linux icmp_send() builds them:
 * from the address the offending datagram was sent to, TOS "Internet control" (0xc0) plus the
 * offending TOS bits, DF clear, quoting the offending datagram from its IP header on, as much as
 * fits a 576-byte error (RFC 1812 §4.3.2.3), and rate limited ({@link IcmpRateLimiter}).
 */
final class Icmpv4Errors {
    /** RFC 1812 §4.3.2.3 / Linux: an ICMP error datagram is at most 576 bytes. */
    static final int MAX_ERROR_DATAGRAM = 576;
    /** IPTOS_PREC_INTERNETCONTROL. */
    private static final int TOS_INTERNET_CONTROL = 0xC0;
    /** IPTOS_TOS_MASK: the offending datagram's TOS bits an error keeps. */
    private static final int TOS_MASK = 0x1E;
    /** ICMP_EXC_FRAGTIME (RFC 792). */
    private static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    private final Ipv4Output output;
    private final IpCounters counters;
    private final IcmpRateLimiter limiter = new IcmpRateLimiter();

    Icmpv4Errors(Ipv4Output output, IpCounters counters) {
        this.output = output;
        this.counters = counters;
    }

    /** Destination unreachable (type 3) with {@code code} about {@code offending}, unless rate limited. */
    void destinationUnreachable(Ipv4Packet offending, int code, long now) throws IOException {
        switch (limiter.check(Icmpv4Packet.TYPE_DEST_UNREACHABLE, code, offending.srcAddr(), now)) {
            case GLOBAL_LIMIT -> counters.countIcmpRateLimitGlobal();
            case HOST_LIMIT -> counters.countIcmpRateLimitHost();
            case ALLOW -> {
                send(offending, Icmpv4Packet.TYPE_DEST_UNREACHABLE, code);
                counters.countDestUnreachableSent();
            }
        }
    }

    /**
     * Time exceeded (type 11) code 1, fragment reassembly time exceeded, quoting the first
     * fragment of a datagram whose queue timed out, as Linux ip_expire() sends it, unless rate
     * limited (type 11 is in icmp_ratemask).
     */
    void reassemblyTimeExceeded(Ipv4Packet firstFragment, long now) throws IOException {
        int type = Icmpv4Packet.TYPE_TIME_EXCEEDED;
        switch (limiter.check(type, CODE_REASSEMBLY_TIME_EXCEEDED, firstFragment.srcAddr(), now)) {
            case GLOBAL_LIMIT -> counters.countIcmpRateLimitGlobal();
            case HOST_LIMIT -> counters.countIcmpRateLimitHost();
            case ALLOW -> {
                send(firstFragment, type, CODE_REASSEMBLY_TIME_EXCEEDED);
                counters.countTimeExceededSent();
            }
        }
    }

    private void send(Ipv4Packet offending, int type, int code) throws IOException {
        int room = MAX_ERROR_DATAGRAM - Ipv4Packet.MIN_HEADER_LENGTH - Icmpv4Packet.MIN_LENGTH;
        int quoted = Math.min(offending.totalLength(), room);
        MemorySegment quote = offending.segment().asSlice(0, quoted);
        int tos = TOS_INTERNET_CONTROL | ((offending.dscp() << 2 | offending.ecn()) & TOS_MASK);
        output.send(offending.dstAddr(), offending.srcAddr(), Ipv4Packet.PROTO_ICMP, Icmpv4Packet.MIN_LENGTH + quoted,
                false, tos, payload -> {
                    Icmpv4Packet icmp = Icmpv4Packet.unchecked(payload);
                    icmp.setType(type);
                    icmp.setCode(code);
                    icmp.setRestOfHeader(0);
                    MemorySegment.copy(quote, 0, payload, Icmpv4Packet.MIN_LENGTH, quoted);
                    icmp.fillChecksum();
                });
    }
}
