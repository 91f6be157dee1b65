package io.tcpsim.drill;

import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.MalformedPacketException;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A packet the stack sent, as the runner saw it: when, its IPv4 header facts and its TCP segment
 * (payload copied) with the raw option bytes, which matching compares byte by byte.
 *
 * @param time     virtual time it was sent, nanoseconds
 * @param ip       the whole IP packet
 * @param tcp      the segment, or null when it is not TCP or does not parse
 * @param options  the raw option bytes (header length - 20)
 * @param ipProblem what is wrong with the IP header (version, protocol, checksum), or null
 */
record Captured(long time, byte[] ip, int srcAddr, int dstAddr, TcpRepr tcp, byte[] options, String ipProblem) {

    static Captured of(long time, byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        Ipv4Packet packet;
        try {
            packet = Ipv4Packet.checked(seg);
        } catch (MalformedPacketException e) {
            return new Captured(time, bytes, 0, 0, null, new byte[0], "malformed IPv4: " + e.getMessage());
        }
        String problem = !packet.verifyChecksum() ? "bad IPv4 header checksum" : null;
        if (packet.protocol() != Ipv4Packet.PROTO_TCP) {
            return new Captured(time, bytes, packet.srcAddr(), packet.dstAddr(), null, new byte[0], "not TCP");
        }
        try {
            TcpPacket view = TcpPacket.checked(packet.payload());
            TcpRepr parsed = TcpRepr.parse(view, packet.srcAddr(), packet.dstAddr());
            TcpRepr copied = new TcpRepr(parsed.srcPort(), parsed.dstPort(), parsed.seq(), parsed.ack(), parsed.flags(),
                    parsed.window(), parsed.urgentPointer(), parsed.options(), MemorySegment.ofArray(parsed.payloadBytes()));
            return new Captured(time, bytes, packet.srcAddr(), packet.dstAddr(), copied,
                    view.options().toArray(ValueLayout.JAVA_BYTE), problem);
        } catch (MalformedPacketException e) {
            return new Captured(time, bytes, packet.srcAddr(), packet.dstAddr(), null, new byte[0],
                    "malformed TCP: " + e.getMessage());
        }
    }

    int payloadLength() {
        return tcp == null ? 0 : (int) tcp.payload().byteSize();
    }
}
