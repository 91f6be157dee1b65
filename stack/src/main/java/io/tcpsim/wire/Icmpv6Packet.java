package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.set32;
import static io.tcpsim.wire.NetworkOrder.set8;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/**
 * A view over an ICMPv6 message, the upper-layer payload of an IPv6 packet (RFC 4443 §2.1):
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  identifier + sequence (echo, §4), MTU (packet too big, §3.2),  |
 *   |  pointer (parameter problem, §3.4), unused (other errors)       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Data: echo data, or as much of the invoking packet as fits
 * </pre>
 * Unlike ICMPv4, the checksum covers the IPv6 pseudo-header too (RFC 4443 §2.3, RFC 8200 §8.1).
 */
public final class Icmpv6Packet {
    public static final int NEXT_HEADER = 58;
    public static final int MIN_LENGTH = 8;

    public static final int TYPE_DEST_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    /** Multicast listener query, report and done (RFC 2710 §3), MLDv2 report (RFC 3810 §5.2). */
    public static final int TYPE_MLD_QUERY = 130;
    public static final int TYPE_MLD_REPORT = 131;
    public static final int TYPE_MLD_DONE = 132;
    public static final int TYPE_MLD2_REPORT = 143;
    /** Neighbor discovery (RFC 4861 §4): router solicitation .. redirect. */
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_REDIRECT = 137;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int REST_OF_HEADER = 4;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE_NUMBER = 6;
    private static final int DATA = 8;
    private static final int INFORMATIONAL = 128;

    private final MemorySegment segment;

    private Icmpv6Packet(MemorySegment segment) {
        this.segment = segment;
    }

    /** @return null when the 8-byte header fits, else {@link Malformed#ICMPV6_TRUNCATED} */
    public static Malformed check(MemorySegment seg) {
        return seg.byteSize() < MIN_LENGTH ? Malformed.ICMPV6_TRUNCATED : null;
    }

    /** A validated view; see {@link #check(MemorySegment)}. */
    public static Icmpv6Packet checked(MemorySegment seg) {
        Malformed problem = check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Icmpv6Packet(seg);
    }

    /** A view without validation, for writing a message into a buffer the caller sized. */
    public static Icmpv6Packet unchecked(MemorySegment seg) {
        return new Icmpv6Packet(seg);
    }

    /** True for an error message type (0..127, RFC 4443 §2.1), which is never answered by another. */
    public static boolean isError(int type) {
        return type < INFORMATIONAL;
    }

    /** True for neighbor discovery and multicast listener messages, which a TUN has no use for. */
    public static boolean isLinkLocalSignalling(int type) {
        return type >= TYPE_MLD_QUERY && type <= TYPE_REDIRECT || type == TYPE_MLD2_REPORT;
    }

    public MemorySegment segment() {
        return segment;
    }

    public int type() {
        return u8(segment, TYPE);
    }

    public int code() {
        return u8(segment, CODE);
    }

    public int checksum() {
        return u16(segment, CHECKSUM);
    }

    /** Bytes 4..8 raw: the MTU of a packet too big, the pointer of a parameter problem. */
    public int restOfHeader() {
        return i32(segment, REST_OF_HEADER);
    }

    /** Echo identifier (RFC 4443 §4.1). */
    public int identifier() {
        return u16(segment, IDENTIFIER);
    }

    /** Echo sequence number (RFC 4443 §4.1). */
    public int sequenceNumber() {
        return u16(segment, SEQUENCE_NUMBER);
    }

    /** Everything after the 8-byte header (zero-copy). */
    public MemorySegment data() {
        return segment.asSlice(DATA);
    }

    /** True when the sum over the pseudo-header and the message is 0xFFFF (RFC 4443 §2.3). */
    public boolean verifyChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        int pseudo = Checksum.pseudoHeaderIpv6(srcAddr, dstAddr, NEXT_HEADER, segment.byteSize());
        return Checksum.ones16(segment, 0, segment.byteSize(), pseudo) == 0xFFFF;
    }

    public void setType(int type) {
        set8(segment, TYPE, type);
    }

    public void setCode(int code) {
        set8(segment, CODE, code);
    }

    public void setChecksum(int checksum) {
        set16(segment, CHECKSUM, checksum);
    }

    public void setRestOfHeader(int value) {
        set32(segment, REST_OF_HEADER, value);
    }

    /** Computes and writes the checksum over the pseudo-header and the whole message. */
    public void fillChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        setChecksum(0);
        int pseudo = Checksum.pseudoHeaderIpv6(srcAddr, dstAddr, NEXT_HEADER, segment.byteSize());
        setChecksum(Checksum.finish(Checksum.ones16(segment, 0, segment.byteSize(), pseudo)));
    }
}
