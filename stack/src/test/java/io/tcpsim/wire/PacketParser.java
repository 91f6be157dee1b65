package io.tcpsim.wire;

import java.lang.foreign.MemorySegment;

/**
 * Runs a captured IP packet through every validation the wire package has: the IP view and
 * repr (checksum), the extension-header walk for IPv6, and the TCP, UDP or ICMP view and repr.
 */
final class PacketParser {
    /** What became of one packet. */
    sealed interface Outcome {
        /** Parsed; {@code upper} is the TcpRepr, UdpRepr, Icmpv4Repr, or null for other protocols. */
        record Parsed(int protocol, Object upper) implements Outcome {
        }

        record Rejected(Malformed reason) implements Outcome {
        }
    }

    private PacketParser() {
    }

    static Outcome parse(MemorySegment packet) {
        try {
            return switch (packet.byteSize() == 0 ? 0 : NetworkOrder.u8(packet, 0) >>> 4) {
                case Ipv4Packet.VERSION -> ipv4(packet);
                case Ipv6Packet.VERSION -> ipv6(packet);
                default -> new Outcome.Rejected(packet.byteSize() == 0 ? Malformed.TRUNCATED : Malformed.IP_BAD_VERSION);
            };
        } catch (MalformedPacketException e) {
            return new Outcome.Rejected(e.reason());
        }
    }

    private static Outcome ipv4(MemorySegment packet) {
        Ipv4Packet ip = Ipv4Packet.checked(packet);
        Ipv4Repr repr = Ipv4Repr.parse(ip);
        if (repr.isFragment()) {
            return new Outcome.Parsed(repr.protocol(), null);
        }
        Object upper = switch (repr.protocol()) {
            case Ipv4Packet.PROTO_TCP -> TcpRepr.parse(TcpPacket.checked(ip.payload()), repr.srcAddr(), repr.dstAddr());
            case Ipv4Packet.PROTO_UDP -> UdpRepr.parse(UdpPacket.checked(ip.payload()), repr.srcAddr(), repr.dstAddr());
            case Ipv4Packet.PROTO_ICMP -> Icmpv4Repr.parse(Icmpv4Packet.checked(ip.payload()));
            default -> null;
        };
        return new Outcome.Parsed(repr.protocol(), upper);
    }

    private static Outcome ipv6(MemorySegment packet) {
        Ipv6Packet ip = Ipv6Packet.checked(packet);
        Ipv6ExtensionWalk walk = Ipv6ExtensionWalk.walk(ip);
        if (!walk.upperHeaderPresent() || walk.upperProtocol() != Ipv4Packet.PROTO_TCP) {
            return new Outcome.Parsed(walk.upperProtocol(), null);
        }
        int end = Ipv6Packet.HEADER_LENGTH + ip.payloadLength();
        MemorySegment tcp = packet.asSlice(walk.upperOffset(), end - walk.upperOffset());
        return new Outcome.Parsed(walk.upperProtocol(), TcpRepr.parse(TcpPacket.checked(tcp), ip.srcAddr(), ip.dstAddr()));
    }
}
