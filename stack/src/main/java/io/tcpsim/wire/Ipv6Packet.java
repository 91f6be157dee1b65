package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.set32;
import static io.tcpsim.wire.NetworkOrder.set8;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/**
 * A view over an IPv6 packet's fixed header and payload (RFC 8200 §3):
 * <pre>
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |           Flow Label                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                         Source Address                        +
 *   |                           (16 bytes)                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                      Destination Address                      +
 *   |                           (16 bytes)                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The payload includes any extension headers; {@link Ipv6ExtensionWalk} finds the upper layer.
 * Jumbograms (RFC 2675, payload length 0) are not supported: their payload reads as empty.
 */
public final class Ipv6Packet {
    public static final int HEADER_LENGTH = 40;
    public static final int ADDRESS_LENGTH = 16;
    public static final int VERSION = 6;

    /** Next-header values of the extension headers (RFC 8200 §4, RFC 4302 §2). */
    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_ROUTING = 43;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_ESP = 50;
    public static final int NEXT_AUTHENTICATION = 51;
    public static final int NEXT_NONE = 59;
    public static final int NEXT_DESTINATION_OPTIONS = 60;

    private static final int VERSION_CLASS_FLOW = 0;
    private static final int PAYLOAD_LENGTH = 4;
    private static final int NEXT_HEADER = 6;
    private static final int HOP_LIMIT = 7;
    private static final int SRC_ADDR = 8;
    private static final int DST_ADDR = 24;
    private static final int FLOW_LABEL_MASK = 0xF_FFFF;

    private final MemorySegment segment;

    private Ipv6Packet(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Structural validation (RFC 8200 §3): the fixed header fits, the version is 6 and the payload
     * length fits in the buffer.
     *
     * @return null when valid, else the first rule broken
     */
    public static Malformed check(MemorySegment seg) {
        if (seg.byteSize() < HEADER_LENGTH) {
            return Malformed.TRUNCATED;
        } else if (u8(seg, VERSION_CLASS_FLOW) >>> 4 != VERSION) {
            return Malformed.IPV6_BAD_VERSION;
        } else if (HEADER_LENGTH + u16(seg, PAYLOAD_LENGTH) > seg.byteSize()) {
            return Malformed.IPV6_PAYLOAD_LENGTH_PAST_BUFFER;
        }
        return null;
    }

    /** A validated view; see {@link #check(MemorySegment)}. */
    public static Ipv6Packet checked(MemorySegment seg) {
        Malformed problem = check(seg);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Ipv6Packet(seg);
    }

    /** A view without validation, for writing a header into a buffer the caller sized. */
    public static Ipv6Packet unchecked(MemorySegment seg) {
        return new Ipv6Packet(seg);
    }

    public MemorySegment segment() {
        return segment;
    }

    public int version() {
        return u8(segment, VERSION_CLASS_FLOW) >>> 4;
    }

    /** Traffic class: DSCP and ECN (RFC 8200 §7, RFC 2474, RFC 3168). */
    public int trafficClass() {
        return i32(segment, VERSION_CLASS_FLOW) >>> 20 & 0xFF;
    }

    /** The 20-bit flow label (RFC 6437). */
    public int flowLabel() {
        return i32(segment, VERSION_CLASS_FLOW) & FLOW_LABEL_MASK;
    }

    /** Bytes after the fixed header, extension headers included. */
    public int payloadLength() {
        return u16(segment, PAYLOAD_LENGTH);
    }

    public int nextHeader() {
        return u8(segment, NEXT_HEADER);
    }

    public int hopLimit() {
        return u8(segment, HOP_LIMIT);
    }

    /** The 16-byte source address (zero-copy). */
    public MemorySegment srcAddr() {
        return segment.asSlice(SRC_ADDR, ADDRESS_LENGTH);
    }

    /** The 16-byte destination address (zero-copy). */
    public MemorySegment dstAddr() {
        return segment.asSlice(DST_ADDR, ADDRESS_LENGTH);
    }

    /** Bytes 40 to 40 + payload length (zero-copy); extension headers come first. */
    public MemorySegment payload() {
        return segment.asSlice(HEADER_LENGTH, payloadLength());
    }

    /** Writes version 6, the traffic class and the flow label. */
    public void setVersionClassFlow(int trafficClass, int flowLabel) {
        set32(segment, VERSION_CLASS_FLOW, VERSION << 28 | (trafficClass & 0xFF) << 20 | flowLabel & FLOW_LABEL_MASK);
    }

    public void setPayloadLength(int payloadLength) {
        set16(segment, PAYLOAD_LENGTH, payloadLength);
    }

    public void setNextHeader(int nextHeader) {
        set8(segment, NEXT_HEADER, nextHeader);
    }

    public void setHopLimit(int hopLimit) {
        set8(segment, HOP_LIMIT, hopLimit);
    }

    public void setSrcAddr(MemorySegment addr) {
        MemorySegment.copy(addr, 0, segment, SRC_ADDR, ADDRESS_LENGTH);
    }

    public void setDstAddr(MemorySegment addr) {
        MemorySegment.copy(addr, 0, segment, DST_ADDR, ADDRESS_LENGTH);
    }
}
