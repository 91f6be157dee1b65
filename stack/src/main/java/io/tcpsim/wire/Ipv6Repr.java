package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * The fields of an IPv6 fixed header (RFC 8200 §3); the version follows. Extension headers are
 * part of the payload (see {@link Ipv6ExtensionWalk}).
 *
 * @param srcAddr       16-byte source address (copied)
 * @param dstAddr       16-byte destination address (copied)
 * @param nextHeader    the header after the fixed one, 0..255
 * @param hopLimit      0..255
 * @param payloadLength bytes after the fixed header, 0..65535
 * @param trafficClass  0..255 (RFC 8200 §7)
 * @param flowLabel     0..0xFFFFF (RFC 6437)
 */
public record Ipv6Repr(byte[] srcAddr, byte[] dstAddr, int nextHeader, int hopLimit, int payloadLength,
                       int trafficClass, int flowLabel) {
    public Ipv6Repr {
        srcAddr = copyAddress("srcAddr", srcAddr);
        dstAddr = copyAddress("dstAddr", dstAddr);
        requireRange("nextHeader", nextHeader, 0, 255);
        requireRange("hopLimit", hopLimit, 0, 255);
        requireRange("payloadLength", payloadLength, 0, 0xFFFF);
        requireRange("trafficClass", trafficClass, 0, 255);
        requireRange("flowLabel", flowLabel, 0, 0xF_FFFF);
    }

    /** Reads a packet's fixed header after validating its structure. */
    public static Ipv6Repr parse(Ipv6Packet packet) {
        Malformed problem = Ipv6Packet.check(packet.segment());
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return new Ipv6Repr(packet.srcAddr().toArray(NetworkOrder.U8), packet.dstAddr().toArray(NetworkOrder.U8),
                packet.nextHeader(), packet.hopLimit(), packet.payloadLength(), packet.trafficClass(),
                packet.flowLabel());
    }

    @Override
    public byte[] srcAddr() {
        return srcAddr.clone();
    }

    @Override
    public byte[] dstAddr() {
        return dstAddr.clone();
    }

    public int headerLength() {
        return Ipv6Packet.HEADER_LENGTH;
    }

    public int bufferLength() {
        return Ipv6Packet.HEADER_LENGTH + payloadLength;
    }

    /** Writes the 40-byte fixed header; the payload bytes are the caller's. */
    public void emit(Ipv6Packet packet) {
        packet.setVersionClassFlow(trafficClass, flowLabel);
        packet.setPayloadLength(payloadLength);
        packet.setNextHeader(nextHeader);
        packet.setHopLimit(hopLimit);
        packet.setSrcAddr(MemorySegment.ofArray(srcAddr));
        packet.setDstAddr(MemorySegment.ofArray(dstAddr));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv6Repr that && Arrays.equals(srcAddr, that.srcAddr)
                && Arrays.equals(dstAddr, that.dstAddr) && nextHeader == that.nextHeader
                && hopLimit == that.hopLimit && payloadLength == that.payloadLength
                && trafficClass == that.trafficClass && flowLabel == that.flowLabel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(srcAddr), Arrays.hashCode(dstAddr), nextHeader, hopLimit,
                payloadLength, trafficClass, flowLabel);
    }

    @Override
    public String toString() {
        return "Ipv6Repr[" + Ipv6Address.format(srcAddr) + " > " + Ipv6Address.format(dstAddr)
                + ", next " + nextHeader + ", hlim " + hopLimit + ", len " + payloadLength
                + ", class " + trafficClass + ", flow " + flowLabel + "]";
    }

    private static byte[] copyAddress(String name, byte[] addr) {
        if (addr.length != Ipv6Packet.ADDRESS_LENGTH) {
            throw new IllegalArgumentException(name + " has " + addr.length + " bytes, not 16");
        }
        return addr.clone();
    }
}
