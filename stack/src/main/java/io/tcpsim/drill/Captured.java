package io.tcpsim.drill;

import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A packet the stack sent, as the runner saw it: when, its IP header facts (IPv4 or IPv6) and its
 * TCP segment (payload copied) with the raw option bytes, which matching compares byte by byte.
 *
 * @param time     virtual time it was sent, nanoseconds
 * @param ip       the whole IP packet
 * @param tcp      the segment, or null when it is not TCP or does not parse
 * @param options  the raw option bytes (header length - 20)
 * @param ipProblem what is wrong with the IP header (version, protocol, checksum), or null
 */
record Captured(long time, byte[] ip, IpAddress srcAddr, IpAddress dstAddr, TcpRepr tcp, byte[] options,
                String ipProblem) {

    static Captured of(long time, byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (bytes.length > 0 && (bytes[0] >> 4 & 0xF) == Ipv6Packet.VERSION) {
            return ofIpv6(time, bytes, seg);
        }
        Ipv4Packet packet;
        try {
            packet = Ipv4Packet.checked(seg);
        } catch (MalformedPacketException e) {
            return new Captured(time, bytes, IpAddress.ANY_IPV4, IpAddress.ANY_IPV4, null, new byte[0],
                    "malformed IPv4: " + e.getMessage());
        }
        String problem = !packet.verifyChecksum() ? "bad IPv4 header checksum" : null;
        IpAddress src = IpAddress.ofIpv4(packet.srcAddr());
        IpAddress dst = IpAddress.ofIpv4(packet.dstAddr());
        if (packet.protocol() != Ipv4Packet.PROTO_TCP) {
            return new Captured(time, bytes, src, dst, null, new byte[0], "not TCP");
        }
        try {
            TcpPacket view = TcpPacket.checked(packet.payload());
            return tcp(time, bytes, src, dst, view, TcpRepr.parse(view, packet.srcAddr(), packet.dstAddr()), problem);
        } catch (MalformedPacketException e) {
            return new Captured(time, bytes, src, dst, null, new byte[0], "malformed TCP: " + e.getMessage());
        }
    }

    /** The same for an IPv6 packet: TCP right after the fixed header (tcpsim sends no extension headers). */
    private static Captured ofIpv6(long time, byte[] bytes, MemorySegment seg) {
        Ipv6Packet packet;
        try {
            packet = Ipv6Packet.checked(seg);
        } catch (MalformedPacketException e) {
            return new Captured(time, bytes, IpAddress.ANY_IPV6, IpAddress.ANY_IPV6, null, new byte[0],
                    "malformed IPv6: " + e.getMessage());
        }
        IpAddress src = IpAddress.ofIpv6(packet.srcAddr());
        IpAddress dst = IpAddress.ofIpv6(packet.dstAddr());
        if (packet.nextHeader() != Ipv4Packet.PROTO_TCP) {
            return new Captured(time, bytes, src, dst, null, new byte[0], "not TCP");
        }
        try {
            TcpPacket view = TcpPacket.checked(packet.payload());
            return tcp(time, bytes, src, dst, view, TcpRepr.parse(view, packet.srcAddr(), packet.dstAddr()), null);
        } catch (MalformedPacketException e) {
            return new Captured(time, bytes, src, dst, null, new byte[0], "malformed TCP: " + e.getMessage());
        }
    }

    private static Captured tcp(long time, byte[] bytes, IpAddress src, IpAddress dst, TcpPacket view, TcpRepr parsed,
                                String problem) {
        TcpRepr copied = new TcpRepr(parsed.srcPort(), parsed.dstPort(), parsed.seq(), parsed.ack(), parsed.flags(),
                parsed.window(), parsed.urgentPointer(), parsed.options(), MemorySegment.ofArray(parsed.payloadBytes()));
        return new Captured(time, bytes, src, dst, copied, view.options().toArray(ValueLayout.JAVA_BYTE), problem);
    }

    int payloadLength() {
        return tcp == null ? 0 : (int) tcp.payload().byteSize();
    }
}
