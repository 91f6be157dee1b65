package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A validated UDP datagram (RFC 768): ports and data; the length and checksum follow from them.
 *
 * <p>{@code payload} is not copied: after {@link #parse} it is a slice of the parsed buffer, so
 * copy it ({@link #payloadBytes()}) before that buffer is reused. Equality compares its content.
 * A datagram received without a checksum (field 0) parses to the same record as one with a
 * correct checksum; {@link #emit} always computes one, as Linux does unless SO_NO_CHECK is set.
 */
public record UdpRepr(int srcPort, int dstPort, MemorySegment payload) {
    /** A zero-length payload. */
    public static final MemorySegment NO_PAYLOAD = MemorySegment.ofArray(new byte[0]);

    public UdpRepr {
        requireRange("srcPort", srcPort, 0, 0xFFFF);
        requireRange("dstPort", dstPort, 0, 0xFFFF);
        Objects.requireNonNull(payload, "payload");
        if (payload.byteSize() > 0xFFFF - UdpPacket.HEADER_LENGTH) {
            throw new IllegalArgumentException("payload " + payload.byteSize()
                    + " bytes does not fit the length field");
        }
    }

    /**
     * Parses a datagram carried over IPv4, verifying its length field and its checksum (RFC 768).
     *
     * @throws MalformedPacketException with a structural reason or {@link Malformed#UDP_BAD_CHECKSUM}
     */
    public static UdpRepr parse(UdpPacket packet, int srcAddr, int dstAddr) {
        return parse(packet, srcAddr, dstAddr, true);
    }

    /** {@link #parse(UdpPacket, int, int)}, the checksum verified only when {@code verify}. */
    public static UdpRepr parse(UdpPacket packet, int srcAddr, int dstAddr, boolean verify) {
        Malformed problem = UdpPacket.check(packet.segment());
        if (problem == null && verify && !packet.verifyChecksum(srcAddr, dstAddr)) {
            problem = Malformed.UDP_BAD_CHECKSUM;
        }
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new UdpRepr(packet.srcPort(), packet.dstPort(), packet.payload());
    }

    /**
     * Parses a datagram carried over IPv6 (RFC 8200 §8.1), verifying its length field and its
     * checksum over the IPv6 pseudo-header; a zero checksum field is refused, as Linux
     * udp6_csum_init() refuses it.
     *
     * @throws MalformedPacketException with a structural reason, {@link Malformed#UDP_ZERO_CHECKSUM_IPV6}
     *                                  or {@link Malformed#UDP_BAD_CHECKSUM}
     */
    public static UdpRepr parse(UdpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        return parse(packet, srcAddr, dstAddr, true);
    }

    /**
     * {@link #parse(UdpPacket, MemorySegment, MemorySegment)}, the checksum checked only when
     * {@code verify} (a link that vouches for it, as a TUN with offloads does for NEEDS_CSUM or
     * DATA_VALID packets: Linux udp6_csum_init() trusts CHECKSUM_UNNECESSARY and CHECKSUM_PARTIAL).
     */
    public static UdpRepr parse(UdpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr, boolean verify) {
        Malformed problem = UdpPacket.check(packet.segment());
        if (problem == null && verify && packet.hasNoChecksum()) {
            problem = Malformed.UDP_ZERO_CHECKSUM_IPV6;
        } else if (problem == null && verify && !packet.verifyChecksum(srcAddr, dstAddr)) {
            problem = Malformed.UDP_BAD_CHECKSUM;
        }
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new UdpRepr(packet.srcPort(), packet.dstPort(), packet.payload());
    }

    /** Header plus payload: the length field. */
    public int bufferLength() {
        return UdpPacket.HEADER_LENGTH + (int) payload.byteSize();
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        return payload.toArray(NetworkOrder.U8);
    }

    /**
     * Writes the datagram with its IPv4 checksum into {@code packet}, whose segment must be exactly
     * {@link #bufferLength()} bytes.
     */
    public void emit(UdpPacket packet, int srcAddr, int dstAddr) {
        writeHeaderAndData(packet);
        packet.fillChecksum(srcAddr, dstAddr);
    }

    private void writeHeaderAndData(UdpPacket packet) {
        if (packet.segment().byteSize() != bufferLength()) {
            throw new IllegalArgumentException("segment is " + packet.segment().byteSize()
                    + " bytes, the UDP datagram " + bufferLength());
        }
        packet.setSrcPort(srcPort);
        packet.setDstPort(dstPort);
        packet.setLength(bufferLength());
        MemorySegment.copy(payload, 0, packet.segment(), UdpPacket.HEADER_LENGTH, payload.byteSize());
    }

    /** As {@link #emit(UdpPacket, int, int)} with the checksum over the IPv6 pseudo-header (16-byte addresses). */
    public void emit(UdpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        writeHeaderAndData(packet);
        packet.fillChecksum(srcAddr, dstAddr);
    }

    /** Writes the datagram at the start of {@code buffer}; returns a view over exactly it. */
    public UdpPacket emit(MemorySegment buffer, int srcAddr, int dstAddr) {
        UdpPacket packet = UdpPacket.unchecked(buffer.asSlice(0, bufferLength()));
        emit(packet, srcAddr, dstAddr);
        return packet;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UdpRepr that && srcPort == that.srcPort && dstPort == that.dstPort
                && payload.byteSize() == that.payload.byteSize() && payload.mismatch(that.payload) == -1;
    }

    @Override
    public int hashCode() {
        int hash = Objects.hash(srcPort, dstPort);
        for (long i = 0; i < payload.byteSize(); i++) {
            hash = 31 * hash + payload.get(NetworkOrder.U8, i);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "UdpRepr[" + srcPort + " > " + dstPort + ", payload " + payload.byteSize() + " bytes]";
    }
}
