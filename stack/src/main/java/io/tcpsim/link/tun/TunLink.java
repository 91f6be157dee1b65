package io.tcpsim.link.tun;

import io.tcpsim.link.BufferSlices;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.tun.TunDevice;
import io.tcpsim.tun.VnetHeader;
import io.tcpsim.tun.Wakeup;
import io.tcpsim.wire.Ipv6Packet;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LinkDevice} over a non-blocking {@link TunDevice} (IFF_TUN, IFF_NO_PI: bare IP packets),
 * with an eventfd {@link Wakeup} polled beside it so that {@link #wakeUp} ends a sleep at once.
 *
 * <p>On a TUN opened with {@code IFF_VNET_HDR} and {@link #OFFLOADS} every packet carries a
 * {@code struct virtio_net_hdr} ({@link VnetHeader}), which this link reads and writes: the
 * kernel may hand over TCP packets of up to 64 KiB (its TSO/GSO segments, not cut) with a partial
 * checksum, and takes such packets ({@link #transmitSegmented}), cutting them itself, as it does
 * for a virtio-net guest ({@code virtio_net_hdr_to_skb()}, {@code virtio_net_hdr_from_skb()}).
 */
public final class TunLink implements LinkDevice {

    /** What {@code TUNSETOFFLOAD} asks for: partial checksums, TCP segmentation over IPv4 and IPv6. */
    public static final int OFFLOADS = TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6;

    /** Largest IP packet with offloads: the IPv4 total length field's limit. */
    private static final int MAX_PACKET = 65_535;
    /** TCP's checksum field, from the start of the TCP header (RFC 9293 §3.1). */
    private static final int TCP_CHECKSUM_OFFSET = 16;
    /** TCP's data offset byte, from the start of the TCP header. */
    private static final int TCP_DATA_OFFSET = 12;

    private final TunDevice tun;
    private final int mtu;
    private final Wakeup wakeup;
    /** A received packet's vnet header; the packet itself is read straight into the stack's buffer (readv). */
    private final MemorySegment vnetReceive;
    /** Header and packet together, for a caller whose buffer is on the heap (readv needs native memory). */
    private final MemorySegment vnetWhole;
    private final MemorySegment vnetTransmit;
    /** Where, after the vnet header, a GSO packet built in place needs no copy. */
    private final MemorySegment segmentedRoom;
    /** What {@code write(2)} takes from {@link #vnetTransmit}: one slice per length, made once. */
    private final BufferSlices transmitted;
    private boolean checksumTrusted;
    private long gsoReceived;
    private long gsoSent;

    public TunLink(TunDevice tun, int mtu) throws IOException {
        if (!tun.nonBlocking()) {
            throw new IllegalArgumentException("TunLink needs a non-blocking TUN: the stack thread never blocks in read");
        }
        this.tun = tun;
        this.mtu = mtu;
        this.wakeup = Wakeup.open();
        // Freed by the GC: the raw TUN sink of tcpsim bench uses a link it never closes.
        this.vnetWhole = tun.vnetHeader() ? Arena.ofAuto().allocate(VnetHeader.SIZE + MAX_PACKET, 64) : null;
        this.vnetReceive = tun.vnetHeader() ? vnetWhole.asSlice(0, VnetHeader.SIZE) : null;
        this.vnetTransmit = tun.vnetHeader() ? Arena.ofAuto().allocate(VnetHeader.SIZE + MAX_PACKET, 64) : null;
        this.segmentedRoom = tun.vnetHeader() ? vnetTransmit.asSlice(VnetHeader.SIZE) : null;
        this.transmitted = tun.vnetHeader() ? new BufferSlices(vnetTransmit, 0) : null;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(MemorySegment buffer) throws IOException {
        if (vnetReceive == null) {
            return tun.read(buffer);
        }
        int n = buffer.isNative() ? tun.read(vnetReceive, buffer) : tun.read(vnetWhole);
        if (n <= VnetHeader.SIZE) {
            checksumTrusted = false;
            return TunDevice.WOULD_BLOCK;
        }
        // Read field by field, not parsed into a record: on every packet.
        checksumTrusted = (VnetHeader.flagsOf(vnetReceive) & (VnetHeader.F_NEEDS_CSUM | VnetHeader.F_DATA_VALID)) != 0;
        if (VnetHeader.gsoKindOf(vnetReceive) != VnetHeader.GSO_NONE) {
            gsoReceived++;
        }
        int length = (int) Math.min(n - VnetHeader.SIZE, buffer.byteSize());
        if (!buffer.isNative()) {
            MemorySegment.copy(vnetWhole, VnetHeader.SIZE, buffer, 0, length);
        }
        return length;
    }

    /**
     * True after a packet the kernel marked {@code NEEDS_CSUM} (its own, checksum left partial: it
     * never crossed a wire) or {@code DATA_VALID}; as Linux skips the check for CHECKSUM_PARTIAL and
     * CHECKSUM_UNNECESSARY skbs ({@code skb_csum_unnecessary()}).
     */
    @Override
    public boolean receivedChecksumTrusted() {
        return checksumTrusted;
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        if (vnetTransmit == null) {
            tun.write(packet);
            return;
        }
        VnetHeader.NONE.emit(vnetTransmit);
        send(packet);
    }

    @Override
    public boolean segmentsOffloaded() {
        return vnetTransmit != null;
    }

    /**
     * A TCP GSO packet: {@code VIRTIO_NET_HDR_GSO_TCPV4} or {@code _TCPV6} by the IP version,
     * {@code gso_size} {@code segmentSize}, {@code NEEDS_CSUM} from the TCP header on; one whose
     * data fits one segment goes as {@code GSO_NONE}, the checksum still left to the kernel.
     */
    @Override
    public void transmitSegmented(MemorySegment packet, int segmentSize) throws IOException {
        if (vnetTransmit == null) {
            throw new UnsupportedOperationException("TUN " + tun.name() + " has no vnet header: no TSO");
        }
        int kind = writeGsoHeader(packet, segmentSize, vnetTransmit);
        if (packet.isNative() && packet.address() == segmentedRoom.address()) {
            tun.write(transmitted.of(VnetHeader.SIZE + (int) packet.byteSize()));
        } else {
            send(packet);
        }
        if (kind != VnetHeader.GSO_NONE) {
            gsoSent++;
        }
    }

    /** After the vnet header in the buffer the link writes from: a GSO packet built there is not copied. */
    @Override
    public MemorySegment segmentedTransmitBuffer() {
        return segmentedRoom;
    }

    /** The header of a TCP GSO packet over IPv4 or IPv6: hdr_len to the end of TCP's header, csum_start at it. */
    static VnetHeader gsoHeader(MemorySegment packet, int segmentSize) {
        MemorySegment header = MemorySegment.ofArray(new byte[VnetHeader.SIZE]);
        writeGsoHeader(packet, segmentSize, header);
        return VnetHeader.parse(header);
    }

    /** Writes {@link #gsoHeader} at the start of {@code out}, without a record; returns its GSO type. */
    private static int writeGsoHeader(MemorySegment packet, int segmentSize, MemorySegment out) {
        boolean ipv6 = u8(packet, 0) >>> 4 == Ipv6Packet.VERSION;
        int ipHeader = ipv6 ? Ipv6Packet.HEADER_LENGTH : (u8(packet, 0) & 0x0f) * 4;
        int tcpHeader = (u8(packet, ipHeader + TCP_DATA_OFFSET) >>> 4) * 4;
        int kind = packet.byteSize() - ipHeader - tcpHeader <= segmentSize ? VnetHeader.GSO_NONE
                : ipv6 ? VnetHeader.GSO_TCPV6 : VnetHeader.GSO_TCPV4;
        VnetHeader.emit(out, VnetHeader.F_NEEDS_CSUM, kind, ipHeader + tcpHeader, segmentSize, ipHeader,
                TCP_CHECKSUM_OFFSET);
        return kind;
    }

    /** Packets the kernel handed over whole as GSO packets (its TSO segments, not cut). */
    public long gsoReceived() {
        return gsoReceived;
    }

    /** GSO packets handed to the kernel ({@link #transmitSegmented} with more than one segment of data). */
    public long gsoSent() {
        return gsoSent;
    }

    private static int u8(MemorySegment packet, long offset) {
        return Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, offset));
    }

    private void send(MemorySegment packet) throws IOException {
        MemorySegment.copy(packet, 0, vnetTransmit, VnetHeader.SIZE, packet.byteSize());
        tun.write(transmitted.of(VnetHeader.SIZE + (int) packet.byteSize()));
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        return tun.awaitReadable(TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999), wakeup);
    }

    @Override
    public void wakeUp() throws IOException {
        wakeup.signal();
    }

    @Override
    public void close() throws IOException {
        try {
            wakeup.close();
        } finally {
            tun.close();
        }
    }
}
