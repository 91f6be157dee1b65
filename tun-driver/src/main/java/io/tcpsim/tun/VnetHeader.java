package io.tcpsim.tun;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} from {@code <linux/virtio_net.h>}: the 10 bytes that precede every
 * packet read from or written to a TUN opened with {@code IFF_VNET_HDR}.
 *
 * <pre>
 *  0        1          2          4          6            8             10
 *  +--------+----------+----------+----------+------------+-------------+
 *  | flags  | gso_type | hdr_len  | gso_size | csum_start | csum_offset |
 *  |   u8   |    u8    |   u16    |   u16    |    u16     |     u16     |
 *  +--------+----------+----------+----------+------------+-------------+
 * </pre>
 *
 * <p>The 16-bit fields are in host byte order: the legacy (pre-virtio-1.0) header that TUN uses
 * unless {@code TUNSETVNETLE}/{@code TUNSETVNETBE} is set is native-endian
 * ({@code tun_is_little_endian()} in {@code drivers/net/tun.c}), i.e. little-endian on x86-64.
 *
 * @param flags {@link #F_NEEDS_CSUM}, {@link #F_DATA_VALID}
 * @param gsoType {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_UDP}, {@link #GSO_TCPV6},
 *     optionally or-ed with {@link #GSO_ECN}
 * @param hdrLen length of the headers to copy in front of each segment (L2 to L4 end)
 * @param gsoSize payload bytes per segment (the MSS) when {@code gsoType != GSO_NONE}
 * @param csumStart offset where checksumming starts, with {@link #F_NEEDS_CSUM}
 * @param csumOffset offset, from {@code csumStart}, where the checksum is stored
 */
public record VnetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    /** Size of the header on the wire, {@code sizeof(struct virtio_net_hdr)}. */
    public static final int SIZE = 10;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum is partial and must be completed. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the checksum has been validated. */
    public static final int F_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_GSO_NONE}: not a GSO packet. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}: TCP over IPv4 to segment. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP}: UDP to fragment (UFO). */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}: TCP over IPv6 to segment. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: flag bit, the TCP segments carry CWR. */
    public static final int GSO_ECN = 0x80;

    /** The header of a plain packet: no GSO, checksums complete. */
    public static final VnetHeader NONE = new VnetHeader(0, GSO_NONE, 0, 0, 0, 0);

    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Validates that every field fits its C type. */
    public VnetHeader {
        requireRange("flags", flags, 0xff);
        requireRange("gsoType", gsoType, 0xff);
        requireRange("hdrLen", hdrLen, 0xffff);
        requireRange("gsoSize", gsoSize, 0xffff);
        requireRange("csumStart", csumStart, 0xffff);
        requireRange("csumOffset", csumOffset, 0xffff);
    }

    /**
     * Reads the header at the start of {@code packet}.
     *
     * @throws IllegalArgumentException if {@code packet} is shorter than {@link #SIZE}
     */
    public static VnetHeader parse(MemorySegment packet) {
        requireSize(packet);
        return new VnetHeader(
                Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, 0)),
                Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, 1)),
                Short.toUnsignedInt(packet.get(U16, 2)),
                Short.toUnsignedInt(packet.get(U16, 4)),
                Short.toUnsignedInt(packet.get(U16, 6)),
                Short.toUnsignedInt(packet.get(U16, 8)));
    }

    /**
     * The flags of the header at the start of {@code packet}, read without a record: the receive
     * path's, on every packet.
     */
    public static int flagsOf(MemorySegment packet) {
        requireSize(packet);
        return Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, 0));
    }

    /** The GSO type without the {@link #GSO_ECN} bit of the header at the start of {@code packet}, read without a record. */
    public static int gsoKindOf(MemorySegment packet) {
        requireSize(packet);
        return Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, 1)) & ~GSO_ECN;
    }

    /**
     * Writes this header at the start of {@code packet}.
     *
     * @throws IllegalArgumentException if {@code packet} is shorter than {@link #SIZE}
     */
    public void emit(MemorySegment packet) {
        emit(packet, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
    }

    /**
     * Writes a header of these fields at the start of {@code packet} without a record: the
     * transmit path's, on every GSO packet. The fields are not range-checked.
     */
    public static void emit(MemorySegment packet, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                            int csumOffset) {
        requireSize(packet);
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) flags);
        packet.set(ValueLayout.JAVA_BYTE, 1, (byte) gsoType);
        packet.set(U16, 2, (short) hdrLen);
        packet.set(U16, 4, (short) gsoSize);
        packet.set(U16, 6, (short) csumStart);
        packet.set(U16, 8, (short) csumOffset);
    }

    /** @return whether {@link #F_NEEDS_CSUM} is set */
    public boolean needsChecksum() {
        return (flags & F_NEEDS_CSUM) != 0;
    }

    /** @return the GSO type without the {@link #GSO_ECN} bit */
    public int gsoKind() {
        return gsoType & ~GSO_ECN;
    }

    private static void requireSize(MemorySegment packet) {
        if (packet.byteSize() < SIZE) {
            throw new IllegalArgumentException(
                    "a virtio_net_hdr needs " + SIZE + " bytes, the segment has " + packet.byteSize());
        }
    }

    private static void requireRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0.." + max);
        }
    }
}
