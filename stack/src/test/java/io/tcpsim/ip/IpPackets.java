package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import java.lang.foreign.MemorySegment;

/** Builds the packets the IP-layer tests send, through the wire records. */
final class IpPackets {

    static final int KERNEL = Ipv4Address.parse("10.0.0.1");
    static final int STACK = Ipv4Address.parse("10.0.0.2");

    private IpPackets() {
    }

    static byte[] echoRequest(int src, int dst, int identifier, int sequence, byte[] data) {
        return icmp(Ipv4Repr.of(src, dst, Ipv4Packet.PROTO_ICMP, 64, 8 + data.length),
                new Icmpv4Repr.EchoRequest(identifier, sequence, data));
    }

    static byte[] echoRequest(byte[] data) {
        return echoRequest(KERNEL, STACK, 0x1234, 7, data);
    }

    static byte[] icmp(Ipv4Repr ip, Icmpv4Repr icmp) {
        MemorySegment buffer = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(buffer);
        icmp.emit(Icmpv4Packet.unchecked(buffer.asSlice(ip.headerLength())));
        return buffer.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** An IPv4 packet of {@code protocol} with {@code payload}, header checksum filled. */
    static byte[] ipv4(Ipv4Repr ip, byte[] payload) {
        byte[] out = new byte[ip.headerLength() + payload.length];
        ip.emit(MemorySegment.ofArray(out));
        System.arraycopy(payload, 0, out, ip.headerLength(), payload.length);
        return out;
    }

    /** Rewrites the IPv4 header checksum after a test changed header bytes. */
    static byte[] refreshHeaderChecksum(byte[] packet) {
        Ipv4Packet.unchecked(MemorySegment.ofArray(packet)).fillChecksum();
        return packet;
    }
}
