package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.tun.VnetHeader;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The virtio_net_hdr TunLink writes in front of a TCP GSO packet, for IPv4 (with IP options) and
 * IPv6, and in front of a packet whose data fits one segment (no GSO, the checksum still partial).
 */
class TunLinkGsoHeaderTest {

    @Test
    void ipv4HeaderCoversIpAndTcpHeadersAndPointsAtTcpsChecksum() {
        ByteBuffer packet = ByteBuffer.allocate(24 + 32 + 3 * 1448);
        packet.put(0, (byte) 0x46); // IHL 6: 24 bytes of IP header
        packet.put(24 + 12, (byte) (8 << 4)); // TCP data offset 8: 32 bytes
        VnetHeader header = TunLink.gsoHeader(MemorySegment.ofArray(packet.array()), 1448);
        assertEquals(new VnetHeader(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 24 + 32, 1448, 24, 16), header);
    }

    @Test
    void ipv6HeaderIsTcpv6AfterTheFixed40Bytes() {
        ByteBuffer packet = ByteBuffer.allocate(40 + 20 + 1428 + 1);
        packet.put(0, (byte) 0x60);
        packet.put(40 + 12, (byte) (5 << 4));
        VnetHeader header = TunLink.gsoHeader(MemorySegment.ofArray(packet.array()), 1428);
        assertEquals(new VnetHeader(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV6, 60, 1428, 40, 16), header);
    }

    @Test
    void dataThatFitsOneSegmentGoesWithoutGsoButWithAPartialChecksum() {
        ByteBuffer packet = ByteBuffer.allocate(20 + 32 + 1448);
        packet.put(0, (byte) 0x45);
        packet.put(20 + 12, (byte) (8 << 4));
        VnetHeader header = TunLink.gsoHeader(MemorySegment.ofArray(packet.array()), 1448);
        assertEquals(new VnetHeader(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_NONE, 52, 1448, 20, 16), header);
    }
}
