package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import io.tcpsim.wire.TcpRepr;
import io.tcpsim.wire.TcpPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** IPv6 packets for tests, built with the wire records: the kernel's end fd00::1, tcpsim's fd00::2. */
public final class Ipv6Packets {
    public static final IpAddress KERNEL6 = IpAddress.parse("fd00::1");
    public static final IpAddress STACK6 = IpAddress.parse("fd00::2");

    private Ipv6Packets() {
    }

    /** An IPv6 packet from src to dst: the fixed header, then {@code headers} (extension headers and upper layer). */
    public static byte[] packet(IpAddress src, IpAddress dst, int nextHeader, int hopLimit, byte[] headers) {
        Ipv6Repr ip = new Ipv6Repr(src.bytes(), dst.bytes(), nextHeader, hopLimit, headers.length, 0, 0);
        byte[] out = new byte[ip.bufferLength()];
        ip.emit(Ipv6Packet.unchecked(MemorySegment.ofArray(out)));
        System.arraycopy(headers, 0, out, Ipv6Packet.HEADER_LENGTH, headers.length);
        return out;
    }

    /** An ICMPv6 message from src to dst with its checksum. */
    public static byte[] icmp(IpAddress src, IpAddress dst, Icmpv6Repr message) {
        return packet(src, dst, Icmpv6Packet.NEXT_HEADER, 64, icmpBytes(src, dst, message));
    }

    /** The message's bytes with the checksum for src and dst. */
    public static byte[] icmpBytes(IpAddress src, IpAddress dst, Icmpv6Repr message) {
        byte[] out = new byte[message.bufferLength()];
        message.emit(Icmpv6Packet.unchecked(MemorySegment.ofArray(out)), src.segment(), dst.segment());
        return out;
    }

    /** A TCP segment from src to dst with its checksum over the IPv6 pseudo-header. */
    public static byte[] tcp(IpAddress src, IpAddress dst, TcpRepr segment) {
        byte[] bytes = new byte[segment.bufferLength()];
        segment.emit(TcpPacket.unchecked(MemorySegment.ofArray(bytes)), src.segment(), dst.segment());
        return packet(src, dst, 6, 64, bytes);
    }

    /** Concatenates byte arrays: extension headers and the upper layer. */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** An 8-byte options header (hop-by-hop or destination options) with {@code next} and a 6-byte option area. */
    public static byte[] options8(int next, int... area) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        for (int i = 0; i < area.length; i++) {
            h[2 + i] = (byte) area[i];
        }
        return h;
    }

    public static MemorySegment view(byte[] packet) {
        return MemorySegment.ofArray(packet);
    }

    public static int u8(byte[] packet, int offset) {
        return Byte.toUnsignedInt(MemorySegment.ofArray(packet).get(ValueLayout.JAVA_BYTE, offset));
    }
}
