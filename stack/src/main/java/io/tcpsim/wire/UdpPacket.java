package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.u16;

import java.lang.foreign.MemorySegment;

/**
 * A view over a UDP datagram, header and data (RFC 768):
 * <pre>
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |     Source      |   Destination   |
 *   |      Port       |      Port       |
 *   +--------+--------+--------+--------+
 *   |                 |                 |
 *   |     Length      |    Checksum     |
 *   +--------+--------+--------+--------+
 *   |
 *   |          data octets ...
 *   +---------------- ...
 * </pre>
 * The segment is the whole IP payload. The length field counts header and data; bytes of the IP
 * payload past it are ignored, as Linux trims them ({@code pskb_trim_rcsum()} in {@code udp_rcv}).
 * {@link #checked(MemorySegment)} validates the length field once.
 */
public final class UdpPacket {
    public static final int HEADER_LENGTH = 8;
    /** The largest payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
    public static final int MAX_IPV4_PAYLOAD = 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH - HEADER_LENGTH;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;
    /** The largest payload over IPv6 without jumbograms: 65535 (payload length) - 8 (UDP header). */
    public static final int MAX_IPV6_PAYLOAD = 0xFFFF - HEADER_LENGTH;
    /** RFC 768: an all-zero checksum field means the sender computed none (IPv4 only). */
    private static final int NO_CHECKSUM = 0;

    private final MemorySegment segment;

    private UdpPacket(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Structural validation (RFC 768, RFC 1122 §4.1.3.4): the header fits, and the length field
     * covers at least the header and no more than the segment. The checksum is not checked here.
     *
     * @return null when valid, else the first rule broken
     */
    public static Malformed check(MemorySegment seg) {
        if (seg.byteSize() < HEADER_LENGTH) {
            return Malformed.TRUNCATED;
        }
        int length = u16(seg, LENGTH);
        if (length < HEADER_LENGTH) {
            return Malformed.UDP_BAD_LENGTH;
        } else if (length > seg.byteSize()) {
            return Malformed.UDP_LENGTH_PAST_PACKET;
        }
        return null;
    }

    /** A validated view; see {@link #check(MemorySegment)}. */
    public static UdpPacket checked(MemorySegment seg) {
        Malformed problem = check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new UdpPacket(seg);
    }

    /** A view without validation, for writing a datagram into a buffer the caller sized. */
    public static UdpPacket unchecked(MemorySegment seg) {
        return new UdpPacket(seg);
    }

    public MemorySegment segment() {
        return segment;
    }

    public int srcPort() {
        return u16(segment, SRC_PORT);
    }

    public int dstPort() {
        return u16(segment, DST_PORT);
    }

    /** The length field: header plus data, in bytes. */
    public int length() {
        return u16(segment, LENGTH);
    }

    public int checksum() {
        return u16(segment, CHECKSUM);
    }

    /** The data: byte 8 to the length field (zero-copy). */
    public MemorySegment payload() {
        return segment.asSlice(HEADER_LENGTH, length() - HEADER_LENGTH);
    }

    /**
     * Checksum over the IPv4 pseudo-header and the datagram up to its length field (RFC 768); a
     * zero checksum field means none was computed and always verifies (RFC 1122 §4.1.3.4).
     */
    public boolean verifyChecksum(int srcAddr, int dstAddr) {
        if (checksum() == NO_CHECKSUM) {
            return true;
        }
        int pseudo = Checksum.pseudoHeaderIpv4(srcAddr, dstAddr, Ipv4Packet.PROTO_UDP, length());
        return Checksum.ones16(segment, 0, length(), pseudo) == 0xFFFF;
    }

    /**
     * Computes and writes the checksum over the IPv4 pseudo-header and the first {@link #length()}
     * bytes; a computed zero is sent as 0xFFFF, since zero means "no checksum" (RFC 768).
     */
    public void fillChecksum(int srcAddr, int dstAddr) {
        setChecksum(0);
        int pseudo = Checksum.pseudoHeaderIpv4(srcAddr, dstAddr, Ipv4Packet.PROTO_UDP, length());
        int checksum = Checksum.finish(Checksum.ones16(segment, 0, length(), pseudo));
        setChecksum(checksum == NO_CHECKSUM ? 0xFFFF : checksum);
    }

    /** The checksum field is zero: the sender computed none (allowed over IPv4 only). */
    public boolean hasNoChecksum() {
        return checksum() == NO_CHECKSUM;
    }

    /**
     * Checksum over the IPv6 pseudo-header (RFC 8200 §8.1) and the datagram up to its length
     * field. Over IPv6 the checksum is mandatory: a zero field never verifies.
     */
    public boolean verifyChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        if (hasNoChecksum()) {
            return false;
        }
        int pseudo = Checksum.pseudoHeaderIpv6(srcAddr, dstAddr, Ipv4Packet.PROTO_UDP, length());
        return Checksum.ones16(segment, 0, length(), pseudo) == 0xFFFF;
    }

    /**
     * Computes and writes the checksum over the IPv6 pseudo-header (RFC 8200 §8.1); a computed
     * zero is sent as 0xFFFF, as over IPv4.
     */
    public void fillChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        setChecksum(0);
        int pseudo = Checksum.pseudoHeaderIpv6(srcAddr, dstAddr, Ipv4Packet.PROTO_UDP, length());
        int checksum = Checksum.finish(Checksum.ones16(segment, 0, length(), pseudo));
        setChecksum(checksum == NO_CHECKSUM ? 0xFFFF : checksum);
    }

    public void setSrcPort(int port) {
        set16(segment, SRC_PORT, port);
    }

    public void setDstPort(int port) {
        set16(segment, DST_PORT, port);
    }

    public void setLength(int length) {
        set16(segment, LENGTH, length);
    }

    public void setChecksum(int checksum) {
        set16(segment, CHECKSUM, checksum);
    }
}
