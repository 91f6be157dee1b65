package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.set32;
import static io.tcpsim.wire.NetworkOrder.set8;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/**
 * A view over an ICMP message, the whole IPv4 payload (RFC 792):
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Identifier          |        Sequence Number        |  echo (RFC 792 p.14)
 *   |            unused             |         Next-Hop MTU          |  unreachable (RFC 1191 §4)
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Data: echo data, or the quoted IP header + 64 bits ...
 *   +-+-+-+-+-
 * </pre>
 * The checksum covers the whole message (RFC 792 p.14).
 */
public final class Icmpv4Packet {
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int MIN_LENGTH = 8;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int REST_OF_HEADER = 4;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE_NUMBER = 6;
    private static final int NEXT_HOP_MTU = 6;
    private static final int DATA = 8;

    private final MemorySegment segment;

    private Icmpv4Packet(MemorySegment segment) {
        this.segment = segment;
    }

    /** @return null when the 8-byte header fits, else {@link Malformed#ICMP_TRUNCATED} */
    public static Malformed check(MemorySegment seg) {
        return seg.byteSize() < MIN_LENGTH ? Malformed.ICMP_TRUNCATED : null;
    }

    /** A validated view; see {@link #check(MemorySegment)}. */
    public static Icmpv4Packet checked(MemorySegment seg) {
        Malformed problem = check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Icmpv4Packet(seg);
    }

    /** A view without validation, for writing a message into a buffer the caller sized. */
    public static Icmpv4Packet unchecked(MemorySegment seg) {
        return new Icmpv4Packet(seg);
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

    /** Bytes 4..8 raw, whatever the type makes of them. */
    public int restOfHeader() {
        return i32(segment, REST_OF_HEADER);
    }

    /** Echo identifier (RFC 792 p.14). */
    public int identifier() {
        return u16(segment, IDENTIFIER);
    }

    /** Echo sequence number (RFC 792 p.14). */
    public int sequenceNumber() {
        return u16(segment, SEQUENCE_NUMBER);
    }

    /** Next-hop MTU of a "fragmentation needed" unreachable (RFC 1191 §4). */
    public int nextHopMtu() {
        return u16(segment, NEXT_HOP_MTU);
    }

    /** Everything after the 8-byte header (zero-copy). */
    public MemorySegment data() {
        return segment.asSlice(DATA);
    }

    /** True when the one's complement sum of the message is 0xFFFF (RFC 792, RFC 1071). */
    public boolean verifyChecksum() {
        return Checksum.ones16(segment) == 0xFFFF;
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

    public void setIdentifier(int identifier) {
        set16(segment, IDENTIFIER, identifier);
    }

    public void setSequenceNumber(int sequenceNumber) {
        set16(segment, SEQUENCE_NUMBER, sequenceNumber);
    }

    /** Computes and writes the checksum over the whole message. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(Checksum.finish(Checksum.ones16(segment)));
    }
}
