package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/** The IPv4 part of a tcpdump line (print-ip.c) and the upper-layer dispatch shared with IPv6. */
final class TcpdumpIp {
    private TcpdumpIp() {
    }

    static String format(MemorySegment packet, TcpdumpFormatter.Mode mode, TcpdumpSeqTracker tracker) {
        StringBuilder out = new StringBuilder();
        if (packet.byteSize() == 0) {
            return malformed(out, Malformed.TRUNCATED);
        }
        return switch (u8(packet, 0) >>> 4) {
            case Ipv4Packet.VERSION -> ipv4(out.append("IP "), packet, mode, tracker);
            case Ipv6Packet.VERSION -> TcpdumpIpv6.format(out.append("IP6 "), packet, mode, tracker);
            default -> malformed(out, Malformed.IP_BAD_VERSION);
        };
    }

    static String malformed(StringBuilder out, Malformed reason) {
        return out.append("[malformed: ").append(reason.description()).append(']').toString();
    }

    private static String ipv4(StringBuilder out, MemorySegment packet, TcpdumpFormatter.Mode mode,
                               TcpdumpSeqTracker tracker) {
        Malformed problem = Ipv4Packet.check(packet);
        if (problem != null && problem != Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER) {
            if (packet.byteSize() >= Ipv4Packet.MIN_HEADER_LENGTH) {
                appendAddresses(out, Ipv4Packet.unchecked(packet));
            }
            return malformed(out, problem);
        }
        Ipv4Packet ip = Ipv4Packet.unchecked(packet);
        if (packet.byteSize() < ip.headerLength()) {
            appendAddresses(out, ip);
            return malformed(out, Malformed.TRUNCATED);
        }
        long end = Math.min(ip.totalLength(), packet.byteSize());
        if (problem != null) {
            out.append("truncated-ip - ").append(ip.totalLength() - packet.byteSize()).append(" bytes missing! ");
        }
        MemorySegment captured = packet.asSlice(ip.headerLength(), end - ip.headerLength());
        int length = ip.totalLength() - ip.headerLength();
        if (ip.fragmentOffset() != 0) {
            appendAddresses(out, ip);
            return out.append("ip-proto-").append(ip.protocol()).toString();
        }
        TcpdumpTcp.Endpoints at = new TcpdumpTcp.Endpoints(Ipv4Address.format(ip.srcAddr()),
                Ipv4Address.format(ip.dstAddr()), addressBytes(ip.srcAddr()), addressBytes(ip.dstAddr()), true);
        upper(out, at, ip.protocol(), captured, length, mode, tracker);
        return out.toString();
    }

    /** Dispatch on the upper-layer protocol; shared with IPv6. */
    static void upper(StringBuilder out, TcpdumpTcp.Endpoints at, int protocol, MemorySegment captured, int length,
                      TcpdumpFormatter.Mode mode, TcpdumpSeqTracker tracker) {
        if (protocol == Ipv4Packet.PROTO_TCP) {
            TcpdumpTcp.append(out, at, captured, length, mode, tracker);
        } else if (protocol == Ipv4Packet.PROTO_UDP && captured.byteSize() >= UdpPacket.HEADER_LENGTH) {
            udp(out, at, captured, length);
        } else {
            at.appendAddresses(out);
            switch (protocol) {
                case Ipv4Packet.PROTO_UDP -> out.append(" [|udp]");
                case Ipv4Packet.PROTO_ICMP -> TcpdumpIcmp.appendIcmpv4(out, captured, length);
                case Ipv4Packet.PROTO_ICMPV6 -> TcpdumpIcmp.appendIcmpv6(out, captured, length);
                default -> out.append(" ip-proto-").append(protocol).append(' ').append(length);
            }
        }
    }

    /**
     * "a.p > b.q: UDP, length N" with N from the UDP length field (RFC 768), as print-udp.c words
     * it: a length field below 8 is "truncated-udplength F", one past the IP payload "UDP, bad
     * length F-8 > L-8".
     */
    private static void udp(StringBuilder out, TcpdumpTcp.Endpoints at, MemorySegment captured, int length) {
        TcpdumpTcp.appendPorts(out, at, u16(captured, 0), u16(captured, 2));
        int udpLength = u16(captured, 4);
        if (udpLength < UdpPacket.HEADER_LENGTH) {
            out.append("truncated-udplength ").append(udpLength);
        } else if (udpLength > length) {
            out.append("UDP, bad length ").append(udpLength - UdpPacket.HEADER_LENGTH).append(" > ")
                    .append(length - UdpPacket.HEADER_LENGTH);
        } else {
            out.append("UDP, length ").append(udpLength - UdpPacket.HEADER_LENGTH);
        }
    }

    private static void appendAddresses(StringBuilder out, Ipv4Packet ip) {
        out.append(Ipv4Address.format(ip.srcAddr())).append(" > ").append(Ipv4Address.format(ip.dstAddr())).append(": ");
    }

    private static byte[] addressBytes(int addr) {
        return new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    }
}
