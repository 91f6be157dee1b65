package io.tcpsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.QueueLink;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TCP behind IPv4 on a QueueLink: what reaches TCP, what TCP sends, whole segments on the wire. */
class TcpOverIpv4Test {

    private static final int KERNEL = Ipv4Address.parse("10.0.0.1");
    private static final int STACK = Ipv4Address.parse("10.0.0.2");

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link, StackConfig.linuxDefaults(STACK, 1500));

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    @Test
    void synToAPortWithoutListenerIsAnsweredWithRstAckCarryingValidChecksums() throws IOException {
        TcpRepr syn = new TcpRepr(40000, 80, 1000, 0, TcpPacket.SYN, 64240, 0,
                List.of(new TcpOption.MaxSegmentSize(1460)), MemorySegment.ofArray(new byte[0]));
        List<byte[]> out = send(syn);
        assertEquals(1, out.size());
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertTrue(ip.verifyChecksum());
        assertTrue(ip.dontFragment(), "Linux sets DF on TCP");
        TcpRepr rst = TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
        assertEquals(new TcpRepr(80, 40000, 0, 1001, TcpPacket.RST | TcpPacket.ACK, 0, 0, List.of(),
                MemorySegment.ofArray(new byte[0])), rst);
        assertEquals(1, stack.tcp().counters().outRsts());
    }

    @Test
    void segmentWithABadChecksumIsCountedAndNeverReachesTcp() throws IOException {
        stack.execute(() -> stack.tcp().listen(STACK, 80, 8));
        byte[] packet = datagram(new TcpRepr(40000, 80, 1000, 0, TcpPacket.SYN, 64240, 0, List.of(),
                MemorySegment.ofArray(new byte[0])));
        packet[packet.length - 1] ^= 0x01;
        link.inject(packet);
        stack.poll(0);
        assertEquals(List.of(), link.drain(), "no SYN-ACK for a corrupted SYN");
        assertEquals(1, stack.counters().malformed(Malformed.TCP_BAD_CHECKSUM));
        assertEquals(1, stack.tcp().counters().inErrs());
        assertEquals(0, stack.tcp().counters().inSegs());
    }

    @Test
    void listenerTaskRunsOnThePollAndAnswersASyn() throws IOException {
        stack.execute(() -> stack.tcp().listen(STACK, 80, 8));
        TcpRepr syn = new TcpRepr(40000, 80, 1000, 0, TcpPacket.SYN, 64240, 0,
                List.of(new TcpOption.MaxSegmentSize(1460)), MemorySegment.ofArray(new byte[0]));
        List<byte[]> out = send(syn);
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst()));
        TcpRepr synAck = TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, synAck.flags());
        assertEquals(1001, synAck.ack());
        assertEquals(1460, synAck.mss().orElseThrow());
        assertEquals(TcpState.SYN_RECEIVED, stack.tcp().connections().getFirst().state());
    }

    private List<byte[]> send(TcpRepr segment) throws IOException {
        link.inject(datagram(segment));
        stack.poll(0);
        return link.drain();
    }

    private static byte[] datagram(TcpRepr segment) {
        Ipv4Repr ip = Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_TCP, 64, segment.bufferLength());
        MemorySegment buffer = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(buffer);
        segment.emit(buffer.asSlice(ip.headerLength()), KERNEL, STACK);
        return buffer.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
}
