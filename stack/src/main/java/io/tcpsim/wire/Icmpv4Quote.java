package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.u16;

import java.lang.foreign.MemorySegment;

/**
 * The datagram quoted by an ICMP error: "the internet header plus the first 64 bits of the
 * original datagram's data" (RFC 792 p.5; RFC 1812 §4.3.2.3 allows more). Enough for the
 * transport layer to find its connection (RFC 1122 §4.2.3.9, RFC 5927).
 *
 * @param srcAddr     the original datagram's source address: ours, for an error about a packet we sent
 * @param dstAddr     its destination address
 * @param protocol    its protocol number
 * @param totalLength its total length as it was sent
 * @param srcPort     first 16 bits of its transport header (the source port for TCP and UDP)
 * @param dstPort     next 16 bits (the destination port for TCP and UDP)
 * @param seqNumber   bits 32..63 of its transport header (the sequence number for TCP)
 */
public record Icmpv4Quote(int srcAddr, int dstAddr, int protocol, int totalLength,
                          int srcPort, int dstPort, int seqNumber) {
    private static final int TRANSPORT_BYTES = 8;

    /**
     * Reads a quoted datagram; its total length may exceed what was quoted.
     *
     * @throws MalformedPacketException with {@link Malformed#ICMP_QUOTE_BAD_HEADER} or
     *     {@link Malformed#ICMP_QUOTE_TRUNCATED}
     */
    public static Icmpv4Quote parse(MemorySegment quoted) {
        if (quoted.byteSize() < Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(Malformed.ICMP_QUOTE_TRUNCATED);
        }
        Ipv4Packet header = Ipv4Packet.unchecked(quoted);
        if (header.version() != Ipv4Packet.VERSION || header.headerLength() < Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(Malformed.ICMP_QUOTE_BAD_HEADER);
        }
        int transport = header.headerLength();
        if (quoted.byteSize() < transport + TRANSPORT_BYTES) {
            throw new MalformedPacketException(Malformed.ICMP_QUOTE_TRUNCATED);
        }
        return new Icmpv4Quote(header.srcAddr(), header.dstAddr(), header.protocol(), header.totalLength(),
                u16(quoted, transport), u16(quoted, transport + 2), i32(quoted, transport + 4));
    }

    /** {@link #parse(MemorySegment)} over a byte array. */
    public static Icmpv4Quote parse(byte[] quoted) {
        return parse(MemorySegment.ofArray(quoted));
    }

    /** The quoted protocol is TCP: the ports and sequence number are TCP's. */
    public boolean isTcp() {
        return protocol == Ipv4Packet.PROTO_TCP;
    }
}
