package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A validated ICMP message (RFC 792). Records holding bytes copy them and compare by content.
 * Echo messages ignore the code on parse and emit 0 (RFC 792 p.14: "Code 0").
 */
public sealed interface Icmpv4Repr {
    int type();

    int code();

    /** The whole message: 8-byte header plus data. */
    int bufferLength();

    /**
     * Parses a message after verifying its checksum.
     *
     * @throws MalformedPacketException with {@link Malformed#ICMP_TRUNCATED} or
     *     {@link Malformed#ICMP_BAD_CHECKSUM}
     */
    static Icmpv4Repr parse(Icmpv4Packet packet) {
        Malformed problem = Icmpv4Packet.check(packet.segment());
        if (problem == null && !packet.verifyChecksum()) {
            problem = Malformed.ICMP_BAD_CHECKSUM;
        }
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        byte[] data = packet.data().toArray(NetworkOrder.U8);
        return switch (packet.type()) {
            case Icmpv4Packet.TYPE_ECHO_REQUEST -> new EchoRequest(packet.identifier(), packet.sequenceNumber(), data);
            case Icmpv4Packet.TYPE_ECHO_REPLY -> new EchoReply(packet.identifier(), packet.sequenceNumber(), data);
            case Icmpv4Packet.TYPE_DEST_UNREACHABLE -> new DestinationUnreachable(packet.code(), packet.nextHopMtu(), data);
            case Icmpv4Packet.TYPE_TIME_EXCEEDED -> new TimeExceeded(packet.code(), data);
            default -> new Other(packet.type(), packet.code(), packet.restOfHeader(), data);
        };
    }

    /**
     * Writes the message with its checksum into {@code packet}, whose segment must be exactly
     * {@link #bufferLength()} bytes.
     */
    default void emit(Icmpv4Packet packet) {
        if (packet.segment().byteSize() != bufferLength()) {
            throw new IllegalArgumentException("segment is " + packet.segment().byteSize()
                    + " bytes, the message " + bufferLength());
        }
        packet.setType(type());
        packet.setCode(code());
        packet.setRestOfHeader(restOfHeader(this));
        byte[] data = data(this);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, packet.segment(), Icmpv4Packet.MIN_LENGTH, data.length);
        packet.fillChecksum();
    }

    /** Echo request, type 8 (RFC 792 p.14). */
    record EchoRequest(int identifier, int sequence, byte[] data) implements Icmpv4Repr {
        public EchoRequest {
            requireRange("identifier", identifier, 0, 0xFFFF);
            requireRange("sequence", sequence, 0, 0xFFFF);
            data = copy(data);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int type() {
            return Icmpv4Packet.TYPE_ECHO_REQUEST;
        }

        public int code() {
            return 0;
        }

        public int bufferLength() {
            return Icmpv4Packet.MIN_LENGTH + data.length;
        }

        /** The reply a host sends back: same identifier, sequence and data (RFC 1122 §3.2.2.6). */
        public EchoReply reply() {
            return new EchoReply(identifier, sequence, data);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EchoRequest that && identifier == that.identifier
                    && sequence == that.sequence && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(identifier, sequence, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "EchoRequest[id=" + identifier + ", seq=" + sequence + ", data=" + hex(data) + "]";
        }
    }

    /** Echo reply, type 0 (RFC 792 p.14). */
    record EchoReply(int identifier, int sequence, byte[] data) implements Icmpv4Repr {
        public EchoReply {
            requireRange("identifier", identifier, 0, 0xFFFF);
            requireRange("sequence", sequence, 0, 0xFFFF);
            data = copy(data);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int type() {
            return Icmpv4Packet.TYPE_ECHO_REPLY;
        }

        public int code() {
            return 0;
        }

        public int bufferLength() {
            return Icmpv4Packet.MIN_LENGTH + data.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EchoReply that && identifier == that.identifier
                    && sequence == that.sequence && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(identifier, sequence, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "EchoReply[id=" + identifier + ", seq=" + sequence + ", data=" + hex(data) + "]";
        }
    }

    /** An error that quotes the offending datagram (RFC 792 p.5). */
    sealed interface ErrorMessage extends Icmpv4Repr permits DestinationUnreachable, TimeExceeded {
        /** The quoted datagram: its IP header and at least 8 bytes of its data. */
        byte[] quoted();

        /** The quoted datagram's addresses, protocol and transport head; see {@link Icmpv4Quote#parse}. */
        default Icmpv4Quote parseQuote() {
            return Icmpv4Quote.parse(quoted());
        }
    }

    /**
     * Destination unreachable, type 3 (RFC 792 p.4; codes RFC 1812 §5.2.7.1); bytes 6..7 carry
     * the next-hop MTU for code 4 (RFC 1191 §4), bytes 4..5 are unused.
     */
    record DestinationUnreachable(int code, int nextHopMtu, byte[] quoted) implements ErrorMessage {
        public static final int CODE_NET_UNREACHABLE = 0;
        public static final int CODE_HOST_UNREACHABLE = 1;
        public static final int CODE_PROTOCOL_UNREACHABLE = 2;
        public static final int CODE_PORT_UNREACHABLE = 3;
        public static final int CODE_FRAGMENTATION_NEEDED = 4;
        public static final int CODE_ADMIN_PROHIBITED = 13;

        public DestinationUnreachable {
            requireRange("code", code, 0, 255);
            requireRange("nextHopMtu", nextHopMtu, 0, 0xFFFF);
            quoted = copy(quoted);
        }

        @Override
        public byte[] quoted() {
            return quoted.clone();
        }

        public int type() {
            return Icmpv4Packet.TYPE_DEST_UNREACHABLE;
        }

        public int bufferLength() {
            return Icmpv4Packet.MIN_LENGTH + quoted.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof DestinationUnreachable that && code == that.code
                    && nextHopMtu == that.nextHopMtu && Arrays.equals(quoted, that.quoted);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, nextHopMtu, Arrays.hashCode(quoted));
        }

        @Override
        public String toString() {
            return "DestinationUnreachable[code=" + code + ", mtu=" + nextHopMtu + ", quoted=" + hex(quoted) + "]";
        }
    }

    /** Time exceeded, type 11 (RFC 792 p.6): code 0 in transit, 1 in reassembly; bytes 4..7 unused. */
    record TimeExceeded(int code, byte[] quoted) implements ErrorMessage {
        public TimeExceeded {
            requireRange("code", code, 0, 255);
            quoted = copy(quoted);
        }

        @Override
        public byte[] quoted() {
            return quoted.clone();
        }

        public int type() {
            return Icmpv4Packet.TYPE_TIME_EXCEEDED;
        }

        public int bufferLength() {
            return Icmpv4Packet.MIN_LENGTH + quoted.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TimeExceeded that && code == that.code && Arrays.equals(quoted, that.quoted);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, Arrays.hashCode(quoted));
        }

        @Override
        public String toString() {
            return "TimeExceeded[code=" + code + ", quoted=" + hex(quoted) + "]";
        }
    }

    /** Any other type, kept raw: bytes 4..7 as {@code restOfHeader}, then the data. */
    record Other(int type, int code, int restOfHeader, byte[] data) implements Icmpv4Repr {
        public Other {
            requireRange("type", type, 0, 255);
            requireRange("code", code, 0, 255);
            boolean hasRecord = switch (type) {
                case Icmpv4Packet.TYPE_ECHO_REPLY, Icmpv4Packet.TYPE_ECHO_REQUEST,
                     Icmpv4Packet.TYPE_DEST_UNREACHABLE, Icmpv4Packet.TYPE_TIME_EXCEEDED -> true;
                default -> false;
            };
            if (hasRecord) {
                throw new IllegalArgumentException("ICMP type " + type + " has its own record");
            }
            data = copy(data);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int bufferLength() {
            return Icmpv4Packet.MIN_LENGTH + data.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Other that && type == that.type && code == that.code
                    && restOfHeader == that.restOfHeader && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, code, restOfHeader, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Other[type=" + type + ", code=" + code + ", rest=0x" + Integer.toHexString(restOfHeader)
                    + ", data=" + hex(data) + "]";
        }
    }

    private static int restOfHeader(Icmpv4Repr repr) {
        return switch (repr) {
            case EchoRequest echo -> echo.identifier() << 16 | echo.sequence();
            case EchoReply echo -> echo.identifier() << 16 | echo.sequence();
            case DestinationUnreachable unreachable -> unreachable.nextHopMtu();
            case TimeExceeded _ -> 0;
            case Other other -> other.restOfHeader();
        };
    }

    private static byte[] data(Icmpv4Repr repr) {
        return switch (repr) {
            case EchoRequest echo -> echo.data;
            case EchoReply echo -> echo.data;
            case DestinationUnreachable unreachable -> unreachable.quoted;
            case TimeExceeded exceeded -> exceeded.quoted;
            case Other other -> other.data;
        };
    }

    private static byte[] copy(byte[] bytes) {
        requireRange("data length", bytes.length, 0, 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH - Icmpv4Packet.MIN_LENGTH);
        return bytes.clone();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
