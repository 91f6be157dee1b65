package io.tcpsim.pcap;

import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv6Address;
import io.tcpsim.wire.Ipv6ExtensionWalk;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a frame into a {@link Segment}, or says why it is not one (not IP, not TCP, a later
 * fragment, a header cut short or impossible). A frame cut short (snap length) or with a bad IP
 * or TCP checksum is still a segment: the problem is listed in {@link Segment#problems()}, never
 * fatal. Captures taken on the sending host usually have bad TCP checksums (offload).
 */
public final class SegmentDecoder {

    private SegmentDecoder() {
    }

    /** A frame that is not a TCP segment, and why. */
    public record Skipped(int frame, String reason) {
    }

    /** The segment, or why there is none. */
    public record Result(Segment segment, Skipped skipped) {
        static Result skip(Frame frame, String why) {
            return new Result(null, new Skipped(frame.number(), why));
        }
    }

    /** Decodes one frame. */
    public static Result decode(Frame frame) {
        LinkHeader.Stripped link = LinkHeader.strip(frame.linkType(), frame.data());
        if (!link.isIp()) {
            return Result.skip(frame, link.notIp());
        }
        byte[] ip = Arrays.copyOfRange(frame.data(), link.offset(), frame.data().length);
        if (ip.length == 0) {
            return Result.skip(frame, "empty IP packet");
        }
        List<String> problems = new ArrayList<>();
        if (frame.cutShort()) {
            problems.add("frame cut short: " + frame.data().length + " of " + frame.originalLength() + " bytes captured");
        }
        return switch ((ip[0] & 0xFF) >>> 4) {
            case Ipv4Packet.VERSION -> ipv4(frame, ip, problems);
            case Ipv6Packet.VERSION -> ipv6(frame, ip, problems);
            default -> Result.skip(frame, "IP version " + ((ip[0] & 0xFF) >>> 4));
        };
    }

    private static Result ipv4(Frame frame, byte[] bytes, List<String> problems) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        Malformed problem = Ipv4Packet.check(seg);
        boolean cut = problem == Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER;
        if (problem != null && !cut) {
            return Result.skip(frame, "malformed IPv4: " + problem.description());
        }
        Ipv4Packet ip = Ipv4Packet.unchecked(seg);
        if (bytes.length < ip.headerLength()) {
            return Result.skip(frame, "IPv4 header cut short");
        } else if (ip.protocol() != Ipv4Packet.PROTO_TCP) {
            return Result.skip(frame, "not TCP (IP protocol " + ip.protocol() + ")");
        } else if (ip.fragmentOffset() != 0) {
            return Result.skip(frame, "IPv4 fragment at offset " + ip.fragmentOffset());
        }
        if (!ip.verifyChecksum()) {
            problems.add("bad IPv4 header checksum");
        }
        if (ip.moreFragments()) {
            problems.add("first IPv4 fragment: the rest of the segment is in later frames");
        }
        int tcpLength = ip.totalLength() - ip.headerLength();
        Endpoints at = new Endpoints(Ipv4Address.format(ip.srcAddr()), Ipv4Address.format(ip.dstAddr()), false,
                ip.srcAddr(), ip.dstAddr(), null, null);
        return tcp(frame, bytes, ip.headerLength(), tcpLength, at, problems);
    }

    private static Result ipv6(Frame frame, byte[] bytes, List<String> problems) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        Malformed problem = Ipv6Packet.check(seg);
        boolean cut = problem == Malformed.IPV6_PAYLOAD_LENGTH_PAST_BUFFER;
        if (problem != null && !cut) {
            return Result.skip(frame, "malformed IPv6: " + problem.description());
        }
        Ipv6Packet ip = Ipv6Packet.unchecked(seg);
        int declaredEnd = Ipv6Packet.HEADER_LENGTH + ip.payloadLength();
        MemorySegment walkable = cut ? padded(seg, declaredEnd) : seg;
        Ipv6ExtensionWalk walk;
        try {
            walk = Ipv6ExtensionWalk.walk(Ipv6Packet.unchecked(walkable));
        } catch (MalformedPacketException e) {
            return Result.skip(frame, "malformed IPv6: " + e.reason().description());
        }
        if (!walk.upperHeaderPresent()) {
            return Result.skip(frame, "IPv6 without an upper-layer header here (a later fragment, ESP or none)");
        } else if (walk.upperProtocol() != Ipv4Packet.PROTO_TCP) {
            return Result.skip(frame, "not TCP (IPv6 next header " + walk.upperProtocol() + ")");
        }
        Endpoints at = new Endpoints(Ipv6Address.format(ip.srcAddr()), Ipv6Address.format(ip.dstAddr()), true, 0, 0,
                ip.srcAddr(), ip.dstAddr());
        return tcp(frame, bytes, walk.upperOffset(), declaredEnd - walk.upperOffset(), at, problems);
    }

    /** The IP addresses as text, and for the pseudo-header as ints (IPv4) or 16 bytes (IPv6). */
    private record Endpoints(String src, String dst, boolean ipv6, int srcV4, int dstV4, MemorySegment srcV6,
                             MemorySegment dstV6) {
    }

    private static Result tcp(Frame frame, byte[] ip, int offset, int tcpLength, Endpoints at, List<String> problems) {
        int captured = Math.min(tcpLength, ip.length - offset);
        if (captured < TcpPacket.MIN_HEADER_LENGTH) {
            return Result.skip(frame, "TCP header cut short (" + Math.max(captured, 0) + " bytes)");
        }
        MemorySegment tcpBytes = MemorySegment.ofArray(ip).asSlice(offset, captured);
        int headerLength = (Byte.toUnsignedInt(tcpBytes.get(ValueLayout.JAVA_BYTE, 12)) >>> 4) * 4;
        if (headerLength < TcpPacket.MIN_HEADER_LENGTH || headerLength > tcpLength) {
            return Result.skip(frame, "TCP data offset " + headerLength + " impossible for a " + tcpLength + "-byte segment");
        } else if (headerLength > captured) {
            return Result.skip(frame, "TCP header cut short (" + captured + " of " + headerLength + " bytes)");
        }
        TcpPacket tcp = TcpPacket.unchecked(tcpBytes);
        List<TcpOption> options = options(tcp, problems);
        boolean complete = captured == tcpLength;
        if (complete && !checksumOk(tcp, at)) {
            problems.add("bad TCP checksum");
        } else if (!complete) {
            problems.add("TCP checksum not verifiable: the segment was cut short");
        }
        byte[] payload = tcpBytes.asSlice(headerLength).toArray(ValueLayout.JAVA_BYTE);
        Segment segment = new Segment(frame.number(), frame.epochNanos(), new Endpoint(at.src(), tcp.srcPort()),
                new Endpoint(at.dst(), tcp.dstPort()), at.ipv6(), tcp.seqNumber(), tcp.ackNumber(), tcp.flags(),
                tcp.window(), tcp.urgentPointer(), options, tcpLength - headerLength, payload, ip, problems);
        return new Result(segment, null);
    }

    private static List<TcpOption> options(TcpPacket tcp, List<String> problems) {
        try {
            return TcpOptions.parse(tcp.options());
        } catch (MalformedPacketException e) {
            problems.add("malformed TCP options: " + e.reason().description());
            return List.of();
        }
    }

    private static boolean checksumOk(TcpPacket tcp, Endpoints at) {
        return at.ipv6() ? tcp.verifyChecksum(at.srcV6(), at.dstV6()) : tcp.verifyChecksum(at.srcV4(), at.dstV4());
    }

    private static MemorySegment padded(MemorySegment packet, int declaredEnd) {
        MemorySegment copy = MemorySegment.ofArray(new byte[declaredEnd]);
        MemorySegment.copy(packet, 0, copy, 0, packet.byteSize());
        return copy;
    }
}
