package io.tcpsim.pcap;

import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Ipv6Address;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Capture files written byte by byte for the reader's tests: classic pcap (either byte order,
 * microsecond or nanosecond magic) and pcapng (SHB, IDB with if_tsresol, EPBs), per the formats'
 * specifications (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng), plus the packets and the
 * link-layer headers of each supported link type.
 */
final class CaptureBytes {
    static final int CLIENT = Ipv4Address.parse("10.0.0.1");
    static final int SERVER = Ipv4Address.parse("10.0.0.2");

    private CaptureBytes() {
    }

    /** One record: capture time in nanoseconds since the epoch, original length, captured bytes. */
    record Record(long epochNanos, int originalLength, byte[] data) {
        static Record whole(long epochNanos, byte[] data) {
            return new Record(epochNanos, data.length, data);
        }
    }

    /** A classic pcap file. */
    static byte[] pcap(ByteOrder order, boolean nanos, int linkType, List<Record> records) {
        ByteBuffer b = ByteBuffer.allocate(24 + records.stream().mapToInt(r -> 16 + r.data().length).sum()).order(order);
        b.putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262_144).putInt(linkType);
        for (Record r : records) {
            long seconds = r.epochNanos() / 1_000_000_000L;
            long fraction = r.epochNanos() % 1_000_000_000L;
            b.putInt((int) seconds).putInt((int) (nanos ? fraction : fraction / 1000)).putInt(r.data().length)
                    .putInt(r.originalLength()).put(r.data());
        }
        return b.array();
    }

    /** A pcapng file with one interface of {@code linkType}, nanosecond timestamps (if_tsresol 9). */
    static byte[] pcapng(ByteOrder order, int linkType, List<Record> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(28).order(order);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L)
                .putInt(28);
        out.writeBytes(shb.array());
        ByteBuffer idb = ByteBuffer.allocate(32).order(order);
        idb.putInt(1).putInt(32).putShort((short) linkType).putShort((short) 0).putInt(262_144)
                .putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]) // if_tsresol = 10^-9
                .putShort((short) 0).putShort((short) 0).putInt(32);                      // opt_endofopt
        out.writeBytes(idb.array());
        for (Record r : records) {
            int padded = (r.data().length + 3) & ~3;
            int length = 32 + padded;
            ByteBuffer epb = ByteBuffer.allocate(length).order(order);
            epb.putInt(6).putInt(length).putInt(0).putInt((int) (r.epochNanos() >>> 32)).putInt((int) r.epochNanos())
                    .putInt(r.data().length).putInt(r.originalLength()).put(r.data());
            epb.position(28 + padded);
            epb.putInt(length);
            out.writeBytes(epb.array());
        }
        return out.toByteArray();
    }

    /** An IPv4 TCP segment from CLIENT:srcPort to SERVER:dstPort with correct checksums. */
    static byte[] ipv4Tcp(int srcPort, int dstPort, int flags, int seq, int ack, byte[] payload) {
        TcpRepr tcp = new TcpRepr(srcPort, dstPort, seq, ack, flags, 64_240, 0,
                (flags & TcpPacket.SYN) != 0 ? List.of(new TcpOption.MaxSegmentSize(1460)) : List.of(),
                MemorySegment.ofArray(payload));
        Ipv4Repr ip = Ipv4Repr.of(CLIENT, SERVER, Ipv4Packet.PROTO_TCP, 64, tcp.bufferLength());
        byte[] bytes = new byte[ip.bufferLength()];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        ip.emit(seg);
        tcp.emit(TcpPacket.unchecked(seg.asSlice(20, tcp.bufferLength())), CLIENT, SERVER);
        return bytes;
    }

    /** The same SYN over IPv6 from 2001:db8::1 to 2001:db8::2. */
    static byte[] ipv6Syn() {
        byte[] src = Ipv6Address.parse("2001:db8::1");
        byte[] dst = Ipv6Address.parse("2001:db8::2");
        TcpRepr tcp = new TcpRepr(40_000, 80, 1000, 0, TcpPacket.SYN, 64_800, 0,
                List.of(new TcpOption.MaxSegmentSize(1440)), TcpRepr.NO_PAYLOAD);
        Ipv6Repr ip = new Ipv6Repr(src, dst, Ipv4Packet.PROTO_TCP, 64, tcp.bufferLength(), 0, 0);
        byte[] bytes = new byte[ip.bufferLength()];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        ip.emit(Ipv6Packet.unchecked(seg));
        tcp.emit(TcpPacket.unchecked(seg.asSlice(40, tcp.bufferLength())), MemorySegment.ofArray(src),
                MemorySegment.ofArray(dst));
        return bytes;
    }

    /** {@code ip} behind the link-layer header of {@code linkType} (IPv4 unless the type says IPv6). */
    static byte[] frame(int linkType, byte[] ip) {
        boolean v6 = (ip[0] & 0xF0) == 0x60;
        int etherType = v6 ? 0x86DD : 0x0800;
        return switch (linkType) {
            case LinkHeader.ETHERNET -> concat(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                (byte) (etherType >> 8), (byte) etherType}, ip);
            case LinkHeader.LINUX_SLL -> concat(new byte[] {0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0,
                (byte) (etherType >> 8), (byte) etherType}, ip);
            case LinkHeader.LINUX_SLL2 -> concat(new byte[] {(byte) (etherType >> 8), (byte) etherType, 0, 0,
                0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0}, ip);
            case LinkHeader.NULL -> concat(new byte[] {v6 ? (byte) 30 : 2, 0, 0, 0}, ip);
            case LinkHeader.LOOP -> concat(new byte[] {0, 0, 0, v6 ? (byte) 24 : 2}, ip);
            default -> ip;
        };
    }

    /** An Ethernet frame with an 802.1Q tag before the IPv4 ethertype. */
    static byte[] vlanFrame(byte[] ip) {
        return concat(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 0x81, 0, 0, 42, 8, 0}, ip);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
