package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.set32;
import static io.tcpsim.wire.NetworkOrder.set8;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/**
 * A view over a TCP segment, header and data (RFC 9293 §3.1):
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           [Options]                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                             Data                              :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The segment is the whole IP payload: its size is the TCP length of the pseudo-header.
 * {@link #checked(MemorySegment)} validates the data offset and the options area once.
 */
public final class TcpPacket {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int SEQ_NUMBER = 4;
    private static final int ACK_NUMBER = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT_POINTER = 18;
    private static final int OPTIONS = 20;

    private final MemorySegment segment;

    private TcpPacket(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Structural validation: the fixed header fits, the data offset is at least 5 words and
     * inside the segment (RFC 9293 §3.1), and the options are well formed
     * ({@link TcpOptions#check(MemorySegment)}). The checksum is not checked here.
     *
     * @return null when valid, else the first rule broken
     */
    public static Malformed check(MemorySegment seg) {
        Malformed header = checkHeader(seg);
        if (header != null) {
            return header;
        }
        int headerLength = (u8(seg, DATA_OFFSET) >>> 4) * 4;
        return TcpOptions.check(seg.asSlice(OPTIONS, headerLength - OPTIONS));
    }

    /**
     * The checks Linux's tcp_v4_rcv() makes before it reads the options: the fixed header fits and
     * the data offset is at least 5 words and inside the segment.
     *
     * @return null when valid, else the first rule broken
     */
    public static Malformed checkHeader(MemorySegment seg) {
        if (seg.byteSize() < MIN_HEADER_LENGTH) {
            return Malformed.TRUNCATED;
        }
        int headerLength = (u8(seg, DATA_OFFSET) >>> 4) * 4;
        if (headerLength < MIN_HEADER_LENGTH) {
            return Malformed.TCP_BAD_DATA_OFFSET;
        } else if (headerLength > seg.byteSize()) {
            return Malformed.TCP_DATA_OFFSET_PAST_PACKET;
        }
        return null;
    }

    /** A view whose header (not options) is validated; see {@link #checkHeader(MemorySegment)}. */
    public static TcpPacket headerChecked(MemorySegment seg) {
        Malformed problem = checkHeader(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new TcpPacket(seg);
    }

    /** A validated view; see {@link #check(MemorySegment)}. */
    public static TcpPacket checked(MemorySegment seg) {
        Malformed problem = check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new TcpPacket(seg);
    }

    /** A view without validation, for writing a segment into a buffer the caller sized. */
    public static TcpPacket unchecked(MemorySegment seg) {
        return new TcpPacket(seg);
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

    /** Raw 32-bit sequence number; compare with {@link Seq}. */
    public int seqNumber() {
        return i32(segment, SEQ_NUMBER);
    }

    /** Raw 32-bit acknowledgment number. */
    public int ackNumber() {
        return i32(segment, ACK_NUMBER);
    }

    /** Header length in 32-bit words. */
    public int dataOffset() {
        return u8(segment, DATA_OFFSET) >>> 4;
    }

    /** Header length in bytes: {@code dataOffset() * 4}. */
    public int headerLength() {
        return dataOffset() * 4;
    }

    /** The eight control bits CWR..FIN (RFC 9293 §3.1, RFC 3168 §6.1). */
    public int flags() {
        return u8(segment, FLAGS);
    }

    public boolean fin() {
        return (flags() & FIN) != 0;
    }

    public boolean syn() {
        return (flags() & SYN) != 0;
    }

    public boolean rst() {
        return (flags() & RST) != 0;
    }

    public boolean psh() {
        return (flags() & PSH) != 0;
    }

    public boolean ack() {
        return (flags() & ACK) != 0;
    }

    public boolean urg() {
        return (flags() & URG) != 0;
    }

    public boolean ece() {
        return (flags() & ECE) != 0;
    }

    public boolean cwr() {
        return (flags() & CWR) != 0;
    }

    /** The window field, unscaled. */
    public int window() {
        return u16(segment, WINDOW);
    }

    public int checksum() {
        return u16(segment, CHECKSUM);
    }

    public int urgentPointer() {
        return u16(segment, URGENT_POINTER);
    }

    /** The options area, byte 20 to the data offset (zero-copy). */
    public MemorySegment options() {
        return segment.asSlice(OPTIONS, headerLength() - OPTIONS);
    }

    /** The data after the header (zero-copy). */
    public MemorySegment payload() {
        return segment.asSlice(headerLength());
    }

    /**
     * Checksum over the IPv4 pseudo-header and the {@code length} bytes of the segment at
     * {@code at} in {@code packet}: the receive path's, without a view or a slice.
     */
    public static boolean verifyChecksum(MemorySegment packet, long at, int length, int srcAddr, int dstAddr) {
        int pseudo = Checksum.pseudoHeaderIpv4(srcAddr, dstAddr, Ipv4Packet.PROTO_TCP, length);
        return Checksum.ones16(packet, at, length, pseudo) == 0xFFFF;
    }

    /** Checksum over the IPv4 pseudo-header (RFC 9293 §3.1) and the whole segment. */
    public boolean verifyChecksum(int srcAddr, int dstAddr) {
        return sumWith(pseudoHeader(srcAddr, dstAddr)) == 0xFFFF;
    }

    /** Checksum over the IPv6 pseudo-header (RFC 8200 §8.1) with 16-byte addresses. */
    public boolean verifyChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        return sumWith(pseudoHeader(srcAddr, dstAddr)) == 0xFFFF;
    }

    /** Computes and writes the checksum for an IPv4 pseudo-header. */
    public void fillChecksum(int srcAddr, int dstAddr) {
        fillChecksumWith(pseudoHeader(srcAddr, dstAddr));
    }

    /** Computes and writes the checksum for an IPv6 pseudo-header. */
    public void fillChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        fillChecksumWith(pseudoHeader(srcAddr, dstAddr));
    }

    /**
     * Writes in the checksum field the IPv4 pseudo-header sum alone, not complemented, for the
     * link to complete over header and data (Linux CHECKSUM_PARTIAL, __tcp_v4_send_check()).
     */
    public void fillPartialChecksum(int srcAddr, int dstAddr) {
        setChecksum(pseudoHeader(srcAddr, dstAddr));
    }

    /** {@link #fillPartialChecksum(int, int)} with the IPv6 pseudo-header (Linux __tcp_v6_send_check()). */
    public void fillPartialChecksum(MemorySegment srcAddr, MemorySegment dstAddr) {
        setChecksum(pseudoHeader(srcAddr, dstAddr));
    }

    public void setSrcPort(int port) {
        set16(segment, SRC_PORT, port);
    }

    public void setDstPort(int port) {
        set16(segment, DST_PORT, port);
    }

    public void setSeqNumber(int seq) {
        set32(segment, SEQ_NUMBER, seq);
    }

    public void setAckNumber(int ack) {
        set32(segment, ACK_NUMBER, ack);
    }

    /** Writes the data offset for a header of {@code headerLength} bytes; reserved bits zero. */
    public void setHeaderLength(int headerLength) {
        set8(segment, DATA_OFFSET, headerLength / 4 << 4);
    }

    public void setFlags(int flags) {
        set8(segment, FLAGS, flags);
    }

    public void setWindow(int window) {
        set16(segment, WINDOW, window);
    }

    public void setChecksum(int checksum) {
        set16(segment, CHECKSUM, checksum);
    }

    public void setUrgentPointer(int urgentPointer) {
        set16(segment, URGENT_POINTER, urgentPointer);
    }

    private int pseudoHeader(int srcAddr, int dstAddr) {
        return Checksum.pseudoHeaderIpv4(srcAddr, dstAddr, Ipv4Packet.PROTO_TCP, (int) segment.byteSize());
    }

    private int pseudoHeader(MemorySegment srcAddr, MemorySegment dstAddr) {
        return Checksum.pseudoHeaderIpv6(srcAddr, dstAddr, Ipv4Packet.PROTO_TCP, segment.byteSize());
    }

    private int sumWith(int pseudoHeaderSum) {
        return Checksum.ones16(segment, 0, segment.byteSize(), pseudoHeaderSum);
    }

    private void fillChecksumWith(int pseudoHeaderSum) {
        setChecksum(0);
        setChecksum(Checksum.finish(sumWith(pseudoHeaderSum)));
    }
}
