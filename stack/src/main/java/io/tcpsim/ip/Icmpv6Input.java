package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ICMPv6 input (RFC 4443; Linux icmpv6_rcv()): verifies the checksum over the pseudo-header,
 * answers echo requests (§4.2), hands the four error types to the transport of the invoking packet
 * (§2.4 (d)), and drops neighbor discovery and MLD quietly: a TUN has no link layer to resolve.
 */
final class Icmpv6Input {
    /** The quoted invoking packet must hold its IPv6 header and 8 bytes of the upper layer (ports, sequence). */
    private static final int QUOTED_UPPER = 8;

    private final IpAddress localAddress;
    private final Ipv6Output output;
    private final IpCounters counters;
    private final DropLog dropLog;
    private final Ipv6ErrorHandler[] handlers = new Ipv6ErrorHandler[256];

    Icmpv6Input(IpAddress localAddress, Ipv6Output output, IpCounters counters, DropLog dropLog) {
        this.localAddress = localAddress;
        this.output = output;
        this.counters = counters;
        this.dropLog = dropLog;
    }

    void register(int nextHeader, Ipv6ErrorHandler handler) {
        handlers[nextHeader] = handler;
    }

    void input(Ipv6Packet ip, MemorySegment message, long nowNanos) throws IOException {
        Malformed malformed = Icmpv6Packet.check(message);
        if (malformed == null && !Icmpv6Packet.unchecked(message).verifyChecksum(ip.srcAddr(), ip.dstAddr())) {
            malformed = Malformed.ICMPV6_BAD_CHECKSUM;
        }
        if (malformed != null) {
            counters.countMalformed(malformed);
            dropLog.dropped(malformed.description(), ip.segment());
            return;
        }
        Icmpv6Packet icmp = Icmpv6Packet.unchecked(message);
        int type = icmp.type();
        if (Icmpv6Packet.isLinkLocalSignalling(type)) {
            counters.countDrop(IpDrop.IPV6_LINK_SIGNALLING);
        } else if (type == Icmpv6Packet.TYPE_ECHO_REQUEST) {
            counters.countDeliver();
            counters.countIcmpv6EchoRequest();
            echoReply(ip, icmp);
        } else if (type >= Icmpv6Packet.TYPE_DEST_UNREACHABLE && type <= Icmpv6Packet.TYPE_PARAMETER_PROBLEM) {
            counters.countDeliver();
            error(ip, icmp, nowNanos);
        } else {
            counters.countDrop(IpDrop.ICMP_TYPE_NOT_HANDLED);
            dropLog.dropped(IpDrop.ICMP_TYPE_NOT_HANDLED.description(), ip.segment());
        }
    }

    /**
     * RFC 4443 §4.2: the reply carries the request's identifier, sequence number and data, from our
     * unicast address (a request to multicast too, as Linux answers it); the checksum is computed
     * again, since the pseudo-header's addresses may differ.
     */
    private void echoReply(Ipv6Packet request, Icmpv6Packet echo) throws IOException {
        MemorySegment message = echo.segment();
        IpAddress to = IpAddress.ofIpv6(request.srcAddr());
        MemorySegment from = localAddress.segment();
        MemorySegment dst = to.segment();
        output.send(localAddress, to, Icmpv6Packet.NEXT_HEADER, (int) message.byteSize(), payload -> {
            MemorySegment.copy(message, 0, payload, 0, message.byteSize());
            Icmpv6Packet reply = Icmpv6Packet.unchecked(payload);
            reply.setType(Icmpv6Packet.TYPE_ECHO_REPLY);
            reply.setCode(0);
            reply.fillChecksum(from, dst);
        });
        counters.countIcmpv6EchoReply();
    }

    /** The invoking packet's header, its extension headers skipped, and 8 bytes of its upper layer. */
    private void error(Ipv6Packet ip, Icmpv6Packet icmp, long nowNanos) {
        MemorySegment quote = icmp.data();
        if (quote.byteSize() < Ipv6Packet.HEADER_LENGTH + QUOTED_UPPER
                || (quote.get(ValueLayout.JAVA_BYTE, 0) >> 4 & 0xF) != Ipv6Packet.VERSION) {
            counters.countMalformed(Malformed.ICMP_QUOTE_TRUNCATED);
            dropLog.dropped(Malformed.ICMP_QUOTE_TRUNCATED.description(), ip.segment());
            return;
        }
        Ipv6Packet quoted = Ipv6Packet.unchecked(quote);
        int next = quoted.nextHeader();
        long offset = Ipv6Packet.HEADER_LENGTH;
        while (isExtension(next) && offset + QUOTED_UPPER <= quote.byteSize()) {
            int length = next == Ipv6Packet.NEXT_FRAGMENT ? 8 : (u8(quote, offset + 1) + 1) * 8;
            next = u8(quote, offset);
            offset += length;
        }
        Ipv6ErrorHandler handler = handlers[next];
        if (isExtension(next) || offset + QUOTED_UPPER > quote.byteSize() || handler == null) {
            counters.countDrop(IpDrop.ICMP_TYPE_NOT_HANDLED);
            dropLog.dropped(IpDrop.ICMP_TYPE_NOT_HANDLED.description(), ip.segment());
            return;
        }
        handler.error(icmp.type(), icmp.code(), icmp.restOfHeader(), IpAddress.ofIpv6(quoted.srcAddr()),
                IpAddress.ofIpv6(quoted.dstAddr()), quote.asSlice(offset), nowNanos);
    }

    private static boolean isExtension(int next) {
        return next == Ipv6Packet.NEXT_HOP_BY_HOP || next == Ipv6Packet.NEXT_ROUTING
                || next == Ipv6Packet.NEXT_FRAGMENT || next == Ipv6Packet.NEXT_DESTINATION_OPTIONS;
    }

    private static int u8(MemorySegment seg, long offset) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, offset));
    }
}
