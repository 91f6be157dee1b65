package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import java.lang.foreign.MemorySegment;

/**
 * The fields of an IPv4 header (RFC 791 §3.1) that a stack reads or chooses; the version, header
 * length, total length and checksum follow from them. Options are skipped on parse and never
 * emitted: {@link #emit} writes a 20-byte header.
 *
 * @param srcAddr        source address, raw network-order int
 * @param dstAddr        destination address
 * @param protocol       upper-layer protocol number, e.g. {@link Ipv4Packet#PROTO_TCP}
 * @param ttl            time to live, 0..255
 * @param payloadLength  bytes after the header, 0..65515
 * @param identification 0..65535
 * @param dontFragment   the DF flag
 * @param moreFragments  the MF flag
 * @param fragmentOffset offset in bytes, a multiple of 8 (RFC 791 §3.1)
 * @param dscp           differentiated services code point, 0..63 (RFC 2474 §3)
 * @param ecn            ECN codepoint, 0..3 (RFC 3168 §5)
 */
public record Ipv4Repr(int srcAddr, int dstAddr, int protocol, int ttl, int payloadLength,
                       int identification, boolean dontFragment, boolean moreFragments,
                       int fragmentOffset, int dscp, int ecn) {
    /** Linux's default TTL (net.ipv4.ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;
    private static final int MAX_FRAGMENT_OFFSET = 0x1FFF * 8;

    public Ipv4Repr {
        requireRange("protocol", protocol, 0, 255);
        requireRange("ttl", ttl, 0, 255);
        requireRange("payloadLength", payloadLength, 0, 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH);
        requireRange("identification", identification, 0, 0xFFFF);
        requireRange("fragmentOffset", fragmentOffset, 0, MAX_FRAGMENT_OFFSET);
        if (fragmentOffset % 8 != 0) {
            throw new IllegalArgumentException("fragmentOffset " + fragmentOffset + " not a multiple of 8");
        }
        requireRange("dscp", dscp, 0, 63);
        requireRange("ecn", ecn, 0, 3);
    }

    /** An unfragmented datagram with DF set, identification 0, DSCP 0 and Not-ECT. */
    public static Ipv4Repr of(int srcAddr, int dstAddr, int protocol, int ttl, int payloadLength) {
        return new Ipv4Repr(srcAddr, dstAddr, protocol, ttl, payloadLength, 0, true, false, 0, 0, 0);
    }

    /**
     * Reads a datagram's header, verifying its structure and its checksum.
     *
     * @throws MalformedPacketException with {@link Malformed#IPV4_BAD_CHECKSUM} or a structural reason
     */
    public static Ipv4Repr parse(Ipv4Packet packet) {
        Malformed problem = Ipv4Packet.check(packet.segment());
        if (problem == null && !packet.verifyChecksum()) {
            problem = Malformed.IPV4_BAD_CHECKSUM;
        }
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Ipv4Repr(packet.srcAddr(), packet.dstAddr(), packet.protocol(), packet.ttl(),
                packet.totalLength() - packet.headerLength(), packet.identification(),
                packet.dontFragment(), packet.moreFragments(), packet.fragmentOffset(),
                packet.dscp(), packet.ecn());
    }

    /** True for any fragment of a larger datagram (RFC 791 §2.3). */
    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** The emitted header length: always 20, no options. */
    public int headerLength() {
        return Ipv4Packet.MIN_HEADER_LENGTH;
    }

    /** Header plus payload: the total length field. */
    public int bufferLength() {
        return headerLength() + payloadLength;
    }

    /** Writes the 20-byte header, checksum included; the payload bytes are the caller's. */
    public void emit(Ipv4Packet packet) {
        packet.setVersionAndHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        packet.setDscpEcn(dscp, ecn);
        packet.setTotalLength(bufferLength());
        packet.setIdentification(identification);
        packet.setFlagsAndFragmentOffset(dontFragment, moreFragments, fragmentOffset);
        packet.setTtl(ttl);
        packet.setProtocol(protocol);
        packet.setSrcAddr(srcAddr);
        packet.setDstAddr(dstAddr);
        packet.fillChecksum();
    }

    /** Writes the header at the start of {@code buffer}; returns a view over the whole datagram. */
    public Ipv4Packet emit(MemorySegment buffer) {
        Ipv4Packet packet = Ipv4Packet.unchecked(buffer.asSlice(0, bufferLength()));
        emit(packet);
        return packet;
    }

    @Override
    public String toString() {
        return "Ipv4Repr[" + Ipv4Address.format(srcAddr) + " > " + Ipv4Address.format(dstAddr)
                + ", proto " + protocol + ", ttl " + ttl + ", len " + payloadLength
                + ", id " + identification + (dontFragment ? ", DF" : "") + (moreFragments ? ", MF" : "")
                + ", off " + fragmentOffset + ", dscp " + dscp + ", ecn " + ecn + "]";
    }
}
