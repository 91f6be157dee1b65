package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv6ExtensionWalk;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.MalformedPacketException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The ICMPv6 errors tcpsim sends (RFC 4443 §2.4), as Linux icmp6_send() builds them: from our
 * address, quoting the invoking packet from its IPv6 header on, as much as fits a 1280-byte
 * packet (§2.4 (c)), never about an ICMPv6 error, a multicast destination (but for packet too big
 * and an unrecognized option, §2.4 (e.3)) or an unspecified or multicast source (§2.4 (e.5)),
 * and rate limited ({@link IcmpRateLimiter#checkIpv6}).
 */
final class Icmpv6Errors {
    private final IpAddress localAddress;
    private final Ipv6Output output;
    private final IpCounters counters;
    private final IcmpRateLimiter limiter = new IcmpRateLimiter();

    Icmpv6Errors(IpAddress localAddress, Ipv6Output output, IpCounters counters) {
        this.localAddress = localAddress;
        this.output = output;
        this.counters = counters;
    }

    /**
     * Sends {@code type}/{@code code} with {@code restOfHeader} (a parameter problem's pointer)
     * about {@code invoking}, whose upper layer {@code upperProtocol} starts at {@code upperOffset}
     * (a negative protocol: not known yet, the extension headers are walked to find it).
     */
    void send(Ipv6Packet invoking, int upperProtocol, int upperOffset, int type, int code, int restOfHeader,
              long now) throws IOException {
        IpAddress src = IpAddress.ofIpv6(invoking.srcAddr());
        IpAddress dst = IpAddress.ofIpv6(invoking.dstAddr());
        if (!eligible(invoking, upperProtocol, upperOffset, type, code, src, dst)) {
            counters.countIcmpv6ErrorSuppressed();
            return;
        }
        switch (limiter.checkIpv6(type, src, now)) {
            case GLOBAL_LIMIT -> counters.countIcmpRateLimitGlobal();
            case HOST_LIMIT -> counters.countIcmpRateLimitHost();
            case ALLOW -> transmit(invoking, src, type, code, restOfHeader);
        }
    }

    /** Linux icmp6_send()'s checks, in its order: the destination's kind, the source, is_ineligible(). */
    private static boolean eligible(Ipv6Packet invoking, int upperProtocol, int upperOffset, int type, int code,
                                    IpAddress src, IpAddress dst) {
        boolean multicastAllowed = type == Icmpv6Packet.TYPE_PACKET_TOO_BIG
                || type == Icmpv6Packet.TYPE_PARAMETER_PROBLEM && code == Icmpv6Repr.CODE_UNRECOGNIZED_OPTION;
        if (dst.isMulticast() && !multicastAllowed) {
            return false;
        } else if (src.isUnspecified() || src.isMulticast()) {
            return false;
        }
        int protocol = upperProtocol;
        int offset = upperOffset;
        if (protocol < 0) {
            try {
                Ipv6ExtensionWalk walk = Ipv6ExtensionWalk.walk(invoking);
                protocol = walk.upperProtocol();
                offset = walk.upperOffset();
            } catch (MalformedPacketException e) {
                return true; // Linux is_ineligible(): a chain it cannot skip is eligible
            }
        }
        if (protocol != Icmpv6Packet.NEXT_HEADER) {
            return true;
        }
        MemorySegment upper = invoking.segment().asSlice(offset);
        return upper.byteSize() > 0 && !Icmpv6Packet.isError(Byte.toUnsignedInt(upper.get(ValueLayout.JAVA_BYTE, 0)));
    }

    private void transmit(Ipv6Packet invoking, IpAddress to, int type, int code, int restOfHeader)
            throws IOException {
        int room = Icmpv6Repr.MAX_ERROR_PACKET - Ipv6Packet.HEADER_LENGTH - Icmpv6Packet.MIN_LENGTH;
        int quoted = (int) Math.min(Ipv6Packet.HEADER_LENGTH + invoking.payloadLength(), room);
        MemorySegment quote = invoking.segment().asSlice(0, quoted);
        MemorySegment from = localAddress.segment();
        MemorySegment dst = to.segment();
        output.send(localAddress, to, Icmpv6Packet.NEXT_HEADER, Icmpv6Packet.MIN_LENGTH + quoted, payload -> {
            Icmpv6Packet icmp = Icmpv6Packet.unchecked(payload);
            icmp.setType(type);
            icmp.setCode(code);
            icmp.setRestOfHeader(restOfHeader);
            MemorySegment.copy(quote, 0, payload, Icmpv6Packet.MIN_LENGTH, quoted);
            icmp.fillChecksum(from, dst);
        });
        counters.countIcmpv6ErrorSent(type);
    }
}
