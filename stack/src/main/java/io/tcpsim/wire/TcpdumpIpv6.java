package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;

/** The IPv6 part of a tcpdump line (print-ip6.c): addresses, extension header names, upper layer. */
final class TcpdumpIpv6 {
    private TcpdumpIpv6() {
    }

    static String format(StringBuilder out, MemorySegment packet, TcpdumpFormatter.Mode mode,
                         TcpdumpSeqTracker tracker) {
        Malformed problem = Ipv6Packet.check(packet);
        if (problem != null && problem != Malformed.IPV6_PAYLOAD_LENGTH_PAST_BUFFER) {
            return TcpdumpIp.malformed(out, problem);
        }
        Ipv6Packet ip = Ipv6Packet.unchecked(packet);
        int declaredEnd = Ipv6Packet.HEADER_LENGTH + ip.payloadLength();
        MemorySegment view = packet;
        if (problem != null) {
            out.append("truncated-ip6 - ").append(declaredEnd - packet.byteSize()).append(" bytes missing! ");
            view = padded(packet, declaredEnd);
        }
        String src = Ipv6Address.format(ip.srcAddr());
        String dst = Ipv6Address.format(ip.dstAddr());
        Ipv6ExtensionWalk walk;
        try {
            walk = Ipv6ExtensionWalk.walk(Ipv6Packet.unchecked(view));
        } catch (MalformedPacketException e) {
            out.append(src).append(" > ").append(dst).append(": ");
            return TcpdumpIp.malformed(out, e.reason());
        }
        boolean direct = walk.extensionHeaders() == 0 && walk.upperHeaderPresent();
        if (!direct) {
            out.append(src).append(" > ").append(dst).append(": ");
        }
        appendExtensionNames(out, view, ip.nextHeader(), walk.extensionHeaders(), declaredEnd);
        if (!walk.upperHeaderPresent()) {
            if (walk.upperProtocol() == Ipv6Packet.NEXT_NONE) {
                out.append("no next header");
            }
            return out.toString().stripTrailing();
        }
        long capturedEnd = Math.min(declaredEnd, packet.byteSize());
        MemorySegment captured = packet.asSlice(Math.min(walk.upperOffset(), capturedEnd),
                Math.max(0, capturedEnd - walk.upperOffset()));
        TcpdumpTcp.Endpoints at = new TcpdumpTcp.Endpoints(src, dst,
                ip.srcAddr().toArray(NetworkOrder.U8), ip.dstAddr().toArray(NetworkOrder.U8), direct);
        TcpdumpIp.upper(out, at, walk.upperProtocol(), captured, declaredEnd - walk.upperOffset(), mode, tracker);
        return out.toString();
    }

    /** "HBH ", "DSTOPT ", "frag (offset|length) ", "srcrt ", "AH " for each header walked. */
    private static void appendExtensionNames(StringBuilder out, MemorySegment packet, int first, int count, int end) {
        int kind = first;
        int offset = Ipv6Packet.HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            int length = Ipv6ExtensionWalk.extensionLength(packet, kind, offset);
            switch (kind) {
                case Ipv6Packet.NEXT_HOP_BY_HOP -> out.append("HBH ");
                case Ipv6Packet.NEXT_DESTINATION_OPTIONS -> out.append("DSTOPT ");
                case Ipv6Packet.NEXT_ROUTING -> out.append("srcrt ");
                case Ipv6Packet.NEXT_AUTHENTICATION -> out.append("AH ");
                default -> out.append("frag (").append(u16(packet, offset + 2) & 0xFFF8).append('|')
                        .append(end - offset - length).append(") ");
            }
            kind = u8(packet, offset);
            offset += length;
        }
    }

    /** The packet zero-filled up to its declared end, so the walk can run over a cut capture. */
    private static MemorySegment padded(MemorySegment packet, int declaredEnd) {
        MemorySegment copy = MemorySegment.ofArray(new byte[declaredEnd]);
        MemorySegment.copy(packet, 0, copy, 0, packet.byteSize());
        return copy;
    }
}
