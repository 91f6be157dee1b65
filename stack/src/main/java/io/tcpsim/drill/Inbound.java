package io.tcpsim.drill;

import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Builds the live packets of an inbound line: the flow's 4-tuple (or the line's explicit ports),
 * the sequence number as written (the script is the remote side), ack and SACK edges plus the
 * local ISN, a TS ecr replaced by the live TS val it names (only with ACK, as packetdrill), zero
 * payload. A line longer than {@code --mss} is split into segments of at most that size.
 */
final class Inbound {
    /** RFC 792: an ICMP error quotes the datagram's header and its first 64 bits of data. */
    private static final int QUOTED_TRANSPORT_BYTES = 8;
    private Inbound() {
    }

    /** The segment (before splitting) as it goes to the stack. */
    static TcpRepr segment(PacketLine p, Flow flow, int srcPort, int dstPort) {
        boolean ack = p.hasFlags(TcpPacket.ACK);
        long ackField = p.ack() == null ? 0 : p.ack();
        int liveAck = ack ? flow.inboundAck(ackField) : (int) ackField;
        List<TcpOption> options = p.options() == null ? List.of() : mapOptions(p.options(), flow, ack);
        try {
            return new TcpRepr(srcPort, dstPort, (int) p.seq(), liveAck, p.flags(), p.window(),
                    p.urgent() == null ? 0 : p.urgent(), options, MemorySegment.ofArray(new byte[p.length()]));
        } catch (IllegalArgumentException e) {
            throw new EventFailure("cannot build this packet: " + e.getMessage());
        }
    }

    private static List<TcpOption> mapOptions(List<TcpOption> written, Flow flow, boolean ack) {
        List<TcpOption> live = new ArrayList<>(written.size());
        for (TcpOption o : written) {
            live.add(switch (o) {
                case TcpOption.Sack s -> new TcpOption.Sack(s.blocks().stream().map(k -> new TcpOption.SackBlock(
                        flow.inboundAck(Integer.toUnsignedLong(k.left())),
                        flow.inboundAck(Integer.toUnsignedLong(k.right())))).toList());
                case TcpOption.Timestamps t when ack -> new TcpOption.Timestamps(t.tsVal(), liveEcr(flow, t.tsEcr()));
                default -> o;
            });
        }
        return live;
    }

    private static int liveEcr(Flow flow, int ecr) {
        OptionalInt live = flow.liveTsVal(Integer.toUnsignedLong(ecr));
        if (live.isEmpty()) {
            throw new EventFailure("unable to map TS ecr " + Integer.toUnsignedString(ecr)
                    + ": no earlier outbound line wrote that TS val");
        }
        return live.getAsInt();
    }

    /** The IP packets carrying {@code segment}, split at {@code mss} payload bytes when mss > 0. */
    static List<byte[]> packets(TcpRepr segment, int mss, Endpoints ends) {
        long length = segment.payload().byteSize();
        if (mss <= 0 || length <= mss) {
            return List.of(ip(segment, ends));
        }
        List<byte[]> packets = new ArrayList<>();
        int last = TcpPacket.FIN | TcpPacket.PSH;
        for (long off = 0; off < length; off += mss) {
            long n = Math.min(mss, length - off);
            boolean end = off + n == length;
            TcpRepr part = new TcpRepr(segment.srcPort(), segment.dstPort(), segment.seq() + (int) off, segment.ack(),
                    end ? segment.flags() : segment.flags() & ~last, segment.window(), segment.urgentPointer(),
                    segment.options(), MemorySegment.ofArray(new byte[(int) n]));
            packets.add(ip(part, ends));
        }
        return packets;
    }

    /**
     * An ICMP destination unreachable from the script's address quoting the flow's segment at
     * the line's sequence number (RFC 792: the IP header and the first 8 bytes of the segment).
     */
    static byte[] icmpUnreachable(IcmpLine line, Flow flow, Endpoints ends) {
        TcpRepr quotedSegment = new TcpRepr(flow.localPort, flow.remotePort, flow.inboundAck(line.seq()), 0,
                TcpPacket.ACK, 0, 0, List.of(), TcpRepr.NO_PAYLOAD);
        if (ends.ipv6Wire()) {
            return icmpv6Error(line, quotedSegment, ends);
        }
        int local = ends.local().ipv4();
        int remote = ends.remote().ipv4();
        byte[] quotedIp = new byte[Ipv4Packet.MIN_HEADER_LENGTH + TcpPacket.MIN_HEADER_LENGTH];
        MemorySegment q = MemorySegment.ofArray(quotedIp);
        Ipv4Repr.of(local, remote, Ipv4Packet.PROTO_TCP, Ipv4Repr.DEFAULT_TTL, TcpPacket.MIN_HEADER_LENGTH).emit(q);
        quotedSegment.emit(q.asSlice(Ipv4Packet.MIN_HEADER_LENGTH), local, remote);
        byte[] quoted = Arrays.copyOf(quotedIp, Ipv4Packet.MIN_HEADER_LENGTH + QUOTED_TRANSPORT_BYTES);
        Icmpv4Repr icmp = new Icmpv4Repr.DestinationUnreachable(line.code(), line.mtu(), quoted);
        byte[] bytes = new byte[Ipv4Packet.MIN_HEADER_LENGTH + icmp.bufferLength()];
        MemorySegment buffer = MemorySegment.ofArray(bytes);
        Ipv4Repr.of(remote, local, Ipv4Packet.PROTO_ICMP, Ipv4Repr.DEFAULT_TTL, icmp.bufferLength()).emit(buffer);
        icmp.emit(Icmpv4Packet.unchecked(buffer.asSlice(Ipv4Packet.MIN_HEADER_LENGTH)));
        return bytes;
    }

    /**
     * The ICMPv6 form of an ICMP line (RFC 4443 §3): unreachable codes as packetdrill maps them
     * (net 0 -> no route 0, host 1 -> address unreachable 3, port 3 -> port unreachable 4),
     * "fragmentation needed" (4) as a packet too big with the line's MTU; quoting the IPv6
     * header and the segment's first 8 bytes.
     */
    private static byte[] icmpv6Error(IcmpLine line, TcpRepr quotedSegment, Endpoints ends) {
        byte[] quoted = Arrays.copyOf(ipv6(quotedSegment, ends.local(), ends.remote()),
                Ipv6Packet.HEADER_LENGTH + QUOTED_TRANSPORT_BYTES);
        Icmpv6Repr icmp = switch (line.code()) {
            case 0 -> Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_NO_ROUTE, quoted);
            case 1 -> Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_ADDRESS_UNREACHABLE, quoted);
            case 3 -> Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_PORT_UNREACHABLE, quoted);
            case 4 -> Icmpv6Repr.packetTooBig(line.mtu(), quoted);
            default -> throw new EventFailure("ICMP code " + line.code() + " has no ICMPv6 form here");
        };
        byte[] message = new byte[icmp.bufferLength()];
        icmp.emit(Icmpv6Packet.unchecked(MemorySegment.ofArray(message)), ends.remote().segment(), ends.local().segment());
        return ipv6Packet(ends.remote(), ends.local(), Icmpv6Packet.NEXT_HEADER, message);
    }

    private static byte[] ip(TcpRepr segment, Endpoints ends) {
        if (ends.ipv6Wire()) {
            return ipv6(segment, ends.remote(), ends.local());
        }
        int remote = ends.remote().ipv4();
        int local = ends.local().ipv4();
        int tcpLength = segment.bufferLength();
        byte[] bytes = new byte[Ipv4Packet.MIN_HEADER_LENGTH + tcpLength];
        MemorySegment buffer = MemorySegment.ofArray(bytes);
        Ipv4Repr.of(remote, local, Ipv4Packet.PROTO_TCP, Ipv4Repr.DEFAULT_TTL, tcpLength).emit(buffer);
        segment.emit(buffer.asSlice(Ipv4Packet.MIN_HEADER_LENGTH), remote, local);
        return bytes;
    }

    private static byte[] ipv6(TcpRepr segment, IpAddress src, IpAddress dst) {
        byte[] tcp = new byte[segment.bufferLength()];
        segment.emit(TcpPacket.unchecked(MemorySegment.ofArray(tcp)), src.segment(), dst.segment());
        return ipv6Packet(src, dst, Ipv4Packet.PROTO_TCP, tcp);
    }

    /** An IPv6 packet with hop limit 64 (packetdrill's default), no extension headers. */
    private static byte[] ipv6Packet(IpAddress src, IpAddress dst, int nextHeader, byte[] payload) {
        Ipv6Repr header = new Ipv6Repr(src.bytes(), dst.bytes(), nextHeader, Ipv4Repr.DEFAULT_TTL, payload.length, 0, 0);
        byte[] bytes = new byte[header.bufferLength()];
        header.emit(Ipv6Packet.unchecked(MemorySegment.ofArray(bytes)));
        System.arraycopy(payload, 0, bytes, Ipv6Packet.HEADER_LENGTH, payload.length);
        return bytes;
    }
}
