package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/** ICMP (RFC 792) and ICMPv6 (RFC 4443) in tcpdump's words (print-icmp.c, print-icmp6.c). */
final class TcpdumpIcmp {
    /** print-icmp.c's unreachable texts by code; %s is the quoted destination (RFC 1812 §5.2.7.1). */
    private static final String[] UNREACHABLE = {
        "net %s unreachable", "host %s unreachable", "%s protocol %d unreachable", "%s port %d unreachable",
        "%s unreachable - need to frag", "%s unreachable - source route failed", "net %s unreachable - unknown",
        "host %s unreachable - unknown", "%s unreachable - source host isolated",
        "net %s unreachable - admin prohibited", "host %s unreachable - admin prohibited",
        "net %s unreachable - tos prohibited", "host %s unreachable - tos prohibited",
        "host %s unreachable - admin prohibited filter", "host %s unreachable - host precedence violation",
        "host %s unreachable - precedence cutoff",
    };
    private static final String[] REDIRECT = {"net", "host", "tos-net", "tos-host"};
    private static final int TYPE_SOURCE_QUENCH = 4;
    private static final int TYPE_REDIRECT = 5;
    private static final int TYPE_PARAMETER_PROBLEM = 12;
    private static final int TYPE_TIMESTAMP = 13;
    private static final int ICMP6_ECHO_REQUEST = 128;
    private static final int ICMP6_ECHO_REPLY = 129;

    private TcpdumpIcmp() {
    }

    /** Appends e.g. "ICMP echo request, id 1, seq 2, length 64"; {@code length} is the ICMP length. */
    static void appendIcmpv4(StringBuilder out, MemorySegment captured, int length) {
        if (captured.byteSize() < Icmpv4Packet.MIN_LENGTH) {
            out.append(" [|icmp]");
            return;
        }
        Icmpv4Packet icmp = Icmpv4Packet.unchecked(captured);
        String text = switch (icmp.type()) {
            case Icmpv4Packet.TYPE_ECHO_REQUEST -> echo("echo request", icmp);
            case Icmpv4Packet.TYPE_ECHO_REPLY -> echo("echo reply", icmp);
            case Icmpv4Packet.TYPE_DEST_UNREACHABLE -> unreachable(icmp);
            case Icmpv4Packet.TYPE_TIME_EXCEEDED ->
                    icmp.code() == 1 ? "ip reassembly time exceeded" : "time exceeded in-transit";
            case TYPE_SOURCE_QUENCH -> "source quench";
            case TYPE_REDIRECT -> redirect(icmp);
            case TYPE_PARAMETER_PROBLEM -> icmp.code() == 0
                    ? "parameter problem - octet " + (icmp.restOfHeader() >>> 24) : "parameter problem";
            case TYPE_TIMESTAMP -> "time stamp query id " + icmp.identifier() + " seq " + icmp.sequenceNumber();
            default -> "type-#" + icmp.type();
        };
        if (text == null) {
            out.append(" [|icmp]");
            return;
        }
        out.append("ICMP ").append(text).append(", length ").append(length);
    }

    /** Appends e.g. "ICMP6, echo request, id 1, seq 2, length 16". */
    static void appendIcmpv6(StringBuilder out, MemorySegment captured, int length) {
        if (captured.byteSize() < Icmpv4Packet.MIN_LENGTH) {
            out.append(" [|icmp6]");
            return;
        }
        Icmpv4Packet icmp = Icmpv4Packet.unchecked(captured);
        String text = switch (icmp.type()) {
            case 1 -> "destination unreachable";
            case 2 -> "packet too big, mtu " + Integer.toUnsignedString(icmp.restOfHeader());
            case 3 -> "time exceeded";
            case ICMP6_ECHO_REQUEST -> echo("echo request", icmp);
            case ICMP6_ECHO_REPLY -> echo("echo reply", icmp);
            case 133 -> "router solicitation";
            case 134 -> "router advertisement";
            case 135 -> "neighbor solicitation";
            case 136 -> "neighbor advertisement";
            default -> "type-#" + icmp.type();
        };
        out.append("ICMP6, ").append(text).append(", length ").append(length);
    }

    private static String echo(String name, Icmpv4Packet icmp) {
        return name + ", id " + icmp.identifier() + ", seq " + icmp.sequenceNumber();
    }

    /** RFC 792 p.12: "redirect <quoted destination> to <net|host> <gateway>". */
    private static String redirect(Icmpv4Packet icmp) {
        MemorySegment quoted = icmp.data();
        if (quoted.byteSize() < Ipv4Packet.MIN_HEADER_LENGTH) {
            return null;
        }
        String kind = icmp.code() < REDIRECT.length ? REDIRECT[icmp.code()] : "#" + icmp.code();
        return "redirect " + Ipv4Address.format(Ipv4Packet.unchecked(quoted).dstAddr()) + " to " + kind + " "
                + Ipv4Address.format(icmp.restOfHeader());
    }

    /** @return the text, or null when the quoted header is not captured */
    private static String unreachable(Icmpv4Packet icmp) {
        MemorySegment quoted = icmp.data();
        if (quoted.byteSize() < Ipv4Packet.MIN_HEADER_LENGTH) {
            return null;
        }
        Ipv4Packet header = Ipv4Packet.unchecked(quoted);
        String dst = Ipv4Address.format(header.dstAddr());
        int code = icmp.code();
        if (code >= UNREACHABLE.length) {
            return "unreachable - #" + code;
        }
        return switch (code) {
            case Icmpv4Repr.DestinationUnreachable.CODE_PROTOCOL_UNREACHABLE ->
                    String.format(UNREACHABLE[code], dst, header.protocol());
            case Icmpv4Repr.DestinationUnreachable.CODE_PORT_UNREACHABLE -> portUnreachable(header, quoted, dst);
            case Icmpv4Repr.DestinationUnreachable.CODE_FRAGMENTATION_NEEDED -> String.format(UNREACHABLE[code], dst)
                    + (icmp.nextHopMtu() != 0 ? " (mtu " + icmp.nextHopMtu() + ")" : "");
            default -> String.format(UNREACHABLE[code], dst);
        };
    }

    private static String portUnreachable(Ipv4Packet header, MemorySegment quoted, String dst) {
        int transport = (u8(quoted, 0) & 0x0F) * 4;
        if (quoted.byteSize() < transport + 4) {
            return null;
        }
        int port = u16(quoted, transport + 2);
        return switch (header.protocol()) {
            case Ipv4Packet.PROTO_TCP -> dst + " tcp port " + port + " unreachable";
            case Ipv4Packet.PROTO_UDP -> dst + " udp port " + port + " unreachable";
            default -> dst + " protocol " + header.protocol() + " port " + port + " unreachable";
        };
    }
}
