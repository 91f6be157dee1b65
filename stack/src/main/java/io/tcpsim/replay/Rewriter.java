package io.tcpsim.replay;

import io.tcpsim.pcap.Segment;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a segment the peer sent into the IPv4 or IPv6 packet tcpsim receives (the family of the
 * addresses, which is the captured conversation's): the peer's and tcpsim's
 * addresses, the ports and the peer's own sequence numbers and TSvals as captured; everything
 * that refers to the captured side's numbers moved into tcpsim's (RFC 9293 sequence space, RFC
 * 7323 clock): the acknowledgment number, SACK blocks (RFC 2018) and the TSecr; the payload
 * padded with zeros where the frame was cut short; TTL 64 and DF (IPv6: hop limit 64); the
 * checksums computed afresh (the captured ones are often wrong: offload on the capturing host, or
 * anonymisation).
 */
final class Rewriter {

    private static final int HOP_LIMIT = 64;

    private Rewriter() {
    }

    /** What changed in one injected segment, beyond the addresses and checksums. */
    record Rewritten(byte[] packet, TcpRepr segment, List<String> notes) {
    }

    /**
     * The packet for {@code s}.
     *
     * @param ackShift  added to acknowledgment numbers and SACK edges (tcpsim's ISS minus the captured side's)
     * @param ackLimit  tcpsim's SND.NXT: an acknowledgment beyond it is lowered to it; null for no limit
     * @param tsEcr     the TSecr to send in place of the captured one (0 keeps 0)
     */
    static Rewritten rewrite(Segment s, IpAddress peerAddr, IpAddress tcpsimAddr, int ackShift, Integer ackLimit,
                             int tsEcr) {
        List<String> notes = new ArrayList<>();
        int ack = s.has(TcpPacket.ACK) ? s.ack() + ackShift : 0;
        if (s.has(TcpPacket.ACK) && ackLimit != null && Seq.gt(ack, ackLimit)) {
            notes.add("acknowledgment lowered by " + (ack - ackLimit) + " to what tcpsim had sent");
            ack = ackLimit;
        }
        List<TcpOption> options = new ArrayList<>(s.options().size());
        for (TcpOption o : s.options()) {
            options.add(switch (o) {
                case TcpOption.Timestamps ts -> new TcpOption.Timestamps(ts.tsVal(), ts.tsEcr() == 0 ? 0 : tsEcr);
                case TcpOption.Sack sack -> new TcpOption.Sack(sack.blocks().stream()
                        .map(b -> new TcpOption.SackBlock(b.left() + ackShift, b.right() + ackShift)).toList());
                default -> o;
            });
        }
        byte[] payload = new byte[s.payloadLength()];
        System.arraycopy(s.payload(), 0, payload, 0, Math.min(payload.length, s.payload().length));
        if (s.payload().length < payload.length) {
            notes.add((payload.length - s.payload().length) + " payload bytes not captured, sent as zeros");
        }
        TcpRepr segment = new TcpRepr(s.src().port(), s.dst().port(), s.seq(), ack, s.flags(), s.window(),
                s.urgentPointer(), options, MemorySegment.ofArray(payload));
        return new Rewritten(emit(segment, peerAddr, tcpsimAddr), segment, notes);
    }

    /**
     * {@code segment} in an IPv4 packet from src to dst (TTL 64, DF), both checksums filled in;
     * in an IPv6 packet (hop limit 64) when the addresses are IPv6.
     */
    static byte[] emit(TcpRepr segment, IpAddress src, IpAddress dst) {
        return src.isIpv4() ? emit(segment, src.ipv4(), dst.ipv4()) : emit6(segment, src, dst);
    }

    private static byte[] emit6(TcpRepr segment, IpAddress src, IpAddress dst) {
        Ipv6Repr ip = new Ipv6Repr(src.bytes(), dst.bytes(), Ipv4Packet.PROTO_TCP, HOP_LIMIT, segment.bufferLength(),
                0, 0);
        byte[] bytes = new byte[ip.bufferLength()];
        MemorySegment buffer = MemorySegment.ofArray(bytes);
        ip.emit(Ipv6Packet.unchecked(buffer));
        segment.emit(TcpPacket.unchecked(buffer.asSlice(Ipv6Packet.HEADER_LENGTH, segment.bufferLength())),
                src.segment(), dst.segment());
        return bytes;
    }

    private static byte[] emit(TcpRepr segment, int src, int dst) {
        Ipv4Repr ip = Ipv4Repr.of(src, dst, Ipv4Packet.PROTO_TCP, Ipv4Repr.DEFAULT_TTL, segment.bufferLength());
        byte[] bytes = new byte[ip.bufferLength()];
        MemorySegment buffer = MemorySegment.ofArray(bytes);
        ip.emit(buffer);
        segment.emit(TcpPacket.unchecked(buffer.asSlice(ip.headerLength(), segment.bufferLength())), src, dst);
        return bytes;
    }
}
