package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A validated ICMPv6 message (RFC 4443): a type, a code, the four bytes after the checksum and the
 * data. Parse and emit need the IPv6 source and destination addresses, which the checksum covers
 * (RFC 4443 §2.3). Holds its bytes as a copy and compares them by content.
 *
 * @param type         0..255 (RFC 4443 §2.1)
 * @param code         0..255
 * @param restOfHeader bytes 4..8: echo identifier and sequence, the MTU of a packet too big, the
 *                     pointer of a parameter problem, 0 for the other errors
 * @param data         echo data, or as much of the invoking packet as fits (RFC 4443 §2.4 (c))
 */
public record Icmpv6Repr(int type, int code, int restOfHeader, byte[] data) {
    /** Destination unreachable codes (RFC 4443 §3.1). */
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMIN_PROHIBITED = 1;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** Parameter problem codes (RFC 4443 §3.4). */
    public static final int CODE_ERRONEOUS_HEADER = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;
    /** Time exceeded code 1, fragment reassembly time exceeded (RFC 4443 §3.3). */
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;
    /** An error message never exceeds the IPv6 minimum MTU (RFC 4443 §2.4 (c)). */
    public static final int MAX_ERROR_PACKET = 1280;

    public Icmpv6Repr {
        requireRange("type", type, 0, 255);
        requireRange("code", code, 0, 255);
        data = data.clone();
    }

    /** Echo request (RFC 4443 §4.1). */
    public static Icmpv6Repr echoRequest(int identifier, int sequence, byte[] data) {
        return echo(Icmpv6Packet.TYPE_ECHO_REQUEST, identifier, sequence, data);
    }

    /** Echo reply (RFC 4443 §4.2). */
    public static Icmpv6Repr echoReply(int identifier, int sequence, byte[] data) {
        return echo(Icmpv6Packet.TYPE_ECHO_REPLY, identifier, sequence, data);
    }

    /** Destination unreachable (RFC 4443 §3.1) quoting {@code invoking}. */
    public static Icmpv6Repr destinationUnreachable(int code, byte[] invoking) {
        return new Icmpv6Repr(Icmpv6Packet.TYPE_DEST_UNREACHABLE, code, 0, invoking);
    }

    /** Packet too big (RFC 4443 §3.2): the MTU of the next-hop link. */
    public static Icmpv6Repr packetTooBig(int mtu, byte[] invoking) {
        return new Icmpv6Repr(Icmpv6Packet.TYPE_PACKET_TOO_BIG, 0, mtu, invoking);
    }

    /** Time exceeded (RFC 4443 §3.3). */
    public static Icmpv6Repr timeExceeded(int code, byte[] invoking) {
        return new Icmpv6Repr(Icmpv6Packet.TYPE_TIME_EXCEEDED, code, 0, invoking);
    }

    /** Parameter problem (RFC 4443 §3.4): pointer is the offset of the error in {@code invoking}. */
    public static Icmpv6Repr parameterProblem(int code, int pointer, byte[] invoking) {
        return new Icmpv6Repr(Icmpv6Packet.TYPE_PARAMETER_PROBLEM, code, pointer, invoking);
    }

    private static Icmpv6Repr echo(int type, int identifier, int sequence, byte[] data) {
        requireRange("identifier", identifier, 0, 0xFFFF);
        requireRange("sequence", sequence, 0, 0xFFFF);
        return new Icmpv6Repr(type, 0, identifier << 16 | sequence, data);
    }

    /**
     * Parses a message sent from srcAddr to dstAddr after verifying its checksum.
     *
     * @throws MalformedPacketException with {@link Malformed#ICMPV6_TRUNCATED} or
     *     {@link Malformed#ICMPV6_BAD_CHECKSUM}
     */
    public static Icmpv6Repr parse(Icmpv6Packet packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        Malformed problem = Icmpv6Packet.check(packet.segment());
        if (problem == null && !packet.verifyChecksum(srcAddr, dstAddr)) {
            problem = Malformed.ICMPV6_BAD_CHECKSUM;
        }
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Icmpv6Repr(packet.type(), packet.code(), packet.restOfHeader(),
                packet.data().toArray(NetworkOrder.U8));
    }

    /**
     * Writes the message and its checksum for srcAddr to dstAddr into {@code packet}, whose segment
     * must be exactly {@link #bufferLength()} bytes.
     */
    public void emit(Icmpv6Packet packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        if (packet.segment().byteSize() != bufferLength()) {
            throw new IllegalArgumentException("segment is " + packet.segment().byteSize()
                    + " bytes, the message " + bufferLength());
        }
        packet.setType(type);
        packet.setCode(code);
        packet.setRestOfHeader(restOfHeader);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, packet.segment(), Icmpv6Packet.MIN_LENGTH, data.length);
        packet.fillChecksum(srcAddr, dstAddr);
    }

    public int bufferLength() {
        return Icmpv6Packet.MIN_LENGTH + data.length;
    }

    /** Echo identifier: the high half of bytes 4..8. */
    public int identifier() {
        return restOfHeader >>> 16;
    }

    /** Echo sequence number: the low half of bytes 4..8. */
    public int sequence() {
        return restOfHeader & 0xFFFF;
    }

    /** The reply to an echo request: the same identifier, sequence and data (RFC 4443 §4.2). */
    public Icmpv6Repr reply() {
        if (type != Icmpv6Packet.TYPE_ECHO_REQUEST) {
            throw new IllegalStateException("type " + type + " is not an echo request");
        }
        return new Icmpv6Repr(Icmpv6Packet.TYPE_ECHO_REPLY, 0, restOfHeader, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Icmpv6Repr that && type == that.type && code == that.code
                && restOfHeader == that.restOfHeader && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, code, restOfHeader, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Icmpv6Repr[type=" + type + ", code=" + code + ", rest=" + Integer.toHexString(restOfHeader)
                + ", data=" + HexFormat.of().formatHex(data) + "]";
    }
}
