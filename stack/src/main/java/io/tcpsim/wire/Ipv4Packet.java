package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.set32;
import static io.tcpsim.wire.NetworkOrder.set8;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/**
 * A view over an IPv4 datagram (RFC 791 §3.1; DSCP and ECN replace the type of service, RFC 2474
 * §3 and RFC 3168 §5):
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options                    |    Padding    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Flags: bit 0 reserved, bit 1 DF (don't fragment), bit 2 MF (more fragments).
 * {@link #checked(MemorySegment)} validates version, IHL and total length once; the header
 * checksum is verified separately ({@link #verifyChecksum()}, {@link Ipv4Repr#parse}). Bytes past
 * the total length (e.g. Ethernet padding) are ignored.
 */
public final class Ipv4Packet {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int VERSION = 4;

    private static final int VER_IHL = 0;
    private static final int DSCP_ECN = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SRC_ADDR = 12;
    private static final int DST_ADDR = 16;

    private static final int FLAG_RESERVED = 0x8000;
    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    /** The fragment offset counts 8-octet units (RFC 791 §3.1). */
    private static final int FRAGMENT_UNIT = 8;

    private MemorySegment segment;

    private Ipv4Packet(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Structural validation (RFC 791 §3.1, RFC 1122 §3.2.1.1–3.2.1.2 lengths): the version is 4,
     * IHL is at least 5, and the total length covers the header and fits in the buffer. The
     * checksum is not checked here.
     *
     * @return null when valid, else the first rule broken
     */
    public static Malformed check(MemorySegment seg) {
        long size = seg.byteSize();
        if (size < MIN_HEADER_LENGTH) {
            return Malformed.TRUNCATED;
        }
        int verIhl = u8(seg, VER_IHL);
        int headerLength = (verIhl & 0x0F) * 4;
        int totalLength = u16(seg, TOTAL_LENGTH);
        if (verIhl >>> 4 != VERSION) {
            return Malformed.IPV4_BAD_VERSION;
        } else if (headerLength < MIN_HEADER_LENGTH) {
            return Malformed.IPV4_BAD_IHL;
        } else if (totalLength < MIN_HEADER_LENGTH) {
            return Malformed.IPV4_TOTAL_LENGTH_TOO_SHORT;
        } else if (totalLength < headerLength) {
            return Malformed.IPV4_IHL_PAST_TOTAL_LENGTH;
        } else if (totalLength > size) {
            return Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER;
        }
        return null;
    }

    /** A validated view; see {@link #check(MemorySegment)}. */
    public static Ipv4Packet checked(MemorySegment seg) {
        Malformed problem = check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Ipv4Packet(seg);
    }

    /** A view without validation, for writing a header into a buffer the caller sized. */
    public static Ipv4Packet unchecked(MemorySegment seg) {
        return new Ipv4Packet(seg);
    }

    /**
     * A view to move from packet to packet ({@link #moveTo}): the receive path's one view, so that
     * it makes none per packet (issue 8). Whoever it is handed to reads it during the call only.
     */
    public static Ipv4Packet reusable() {
        return new Ipv4Packet(MemorySegment.NULL);
    }

    /** This view, now over {@code seg} (unchecked, as {@link #unchecked}). */
    public Ipv4Packet moveTo(MemorySegment seg) {
        segment = seg;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public int version() {
        return u8(segment, VER_IHL) >>> 4;
    }

    /** Internet header length in 32-bit words. */
    public int ihl() {
        return u8(segment, VER_IHL) & 0x0F;
    }

    /** Header length in bytes: {@code ihl() * 4}. */
    public int headerLength() {
        return ihl() * 4;
    }

    /** Differentiated services code point (RFC 2474 §3). */
    public int dscp() {
        return u8(segment, DSCP_ECN) >>> 2;
    }

    /** Explicit congestion notification codepoint (RFC 3168 §5). */
    public int ecn() {
        return u8(segment, DSCP_ECN) & 0x03;
    }

    /** Length of the datagram, header and data, in bytes. */
    public int totalLength() {
        return u16(segment, TOTAL_LENGTH);
    }

    public int identification() {
        return u16(segment, IDENTIFICATION);
    }

    /** The reserved flag bit (must be zero, RFC 791 §3.1). */
    public boolean reservedFlag() {
        return (u16(segment, FLAGS_FRAGMENT) & FLAG_RESERVED) != 0;
    }

    public boolean dontFragment() {
        return (u16(segment, FLAGS_FRAGMENT) & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (u16(segment, FLAGS_FRAGMENT) & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() {
        return (u16(segment, FLAGS_FRAGMENT) & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT;
    }

    /** True for any fragment of a larger datagram: MF set or a non-zero offset (RFC 791 §2.3). */
    public boolean isFragment() {
        return (u16(segment, FLAGS_FRAGMENT) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return u8(segment, TTL);
    }

    public int protocol() {
        return u8(segment, PROTOCOL);
    }

    public int headerChecksum() {
        return u16(segment, CHECKSUM);
    }

    public int srcAddr() {
        return i32(segment, SRC_ADDR);
    }

    public int dstAddr() {
        return i32(segment, DST_ADDR);
    }

    /** True when the one's complement sum of the header, checksum included, is 0xFFFF (RFC 1071). */
    public boolean verifyChecksum() {
        return Checksum.ones16(segment, 0, headerLength(), 0) == 0xFFFF;
    }

    /** The options and padding between byte 20 and the header length (zero-copy). */
    public MemorySegment options() {
        return segment.asSlice(MIN_HEADER_LENGTH, headerLength() - MIN_HEADER_LENGTH);
    }

    /** The data: header end to total length, options skipped (zero-copy). */
    public MemorySegment payload() {
        int headerLength = headerLength();
        return segment.asSlice(headerLength, totalLength() - headerLength);
    }

    /** Writes version 4 and the header length, which must be a multiple of 4 in 20..60. */
    public void setVersionAndHeaderLength(int headerLength) {
        set8(segment, VER_IHL, VERSION << 4 | headerLength / 4);
    }

    public void setDscpEcn(int dscp, int ecn) {
        set8(segment, DSCP_ECN, dscp << 2 | ecn & 0x03);
    }

    public void setTotalLength(int totalLength) {
        set16(segment, TOTAL_LENGTH, totalLength);
    }

    public void setIdentification(int identification) {
        set16(segment, IDENTIFICATION, identification);
    }

    /** Writes DF, MF (reserved bit zero) and the fragment offset given in bytes. */
    public void setFlagsAndFragmentOffset(boolean dontFragment, boolean moreFragments, int offsetBytes) {
        int value = (dontFragment ? FLAG_DF : 0) | (moreFragments ? FLAG_MF : 0) | offsetBytes / FRAGMENT_UNIT;
        set16(segment, FLAGS_FRAGMENT, value);
    }

    public void setTtl(int ttl) {
        set8(segment, TTL, ttl);
    }

    public void setProtocol(int protocol) {
        set8(segment, PROTOCOL, protocol);
    }

    public void setHeaderChecksum(int checksum) {
        set16(segment, CHECKSUM, checksum);
    }

    public void setSrcAddr(int addr) {
        set32(segment, SRC_ADDR, addr);
    }

    public void setDstAddr(int addr) {
        set32(segment, DST_ADDR, addr);
    }

    /** Computes and writes the header checksum (RFC 791 §3.1: checksum field zero while summing). */
    public void fillChecksum() {
        setHeaderChecksum(0);
        setHeaderChecksum(Checksum.finish(Checksum.ones16(segment, 0, headerLength(), 0)));
    }
}
