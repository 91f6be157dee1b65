package io.tcpsim;

import static io.tcpsim.ip.Ipv6Packets.KERNEL6;
import static io.tcpsim.ip.Ipv6Packets.STACK6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.ip.Ipv6Packets;
import io.tcpsim.link.QueueLink;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.SocketOptions;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TCP behind IPv6 on a QueueLink: the pseudo-header checksum both ways, MSS = MTU - 60, RSTs,
 * the dual-stack listener, IPV6_V6ONLY, ICMPv6 errors and packet too big.
 */
class TcpOverIpv6Test {
    private static final int KERNEL = Ipv4Address.parse("10.0.0.1");
    private static final int STACK = Ipv4Address.parse("10.0.0.2");

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link, StackConfig.linuxDefaults(STACK, 1500).withAddress6(STACK6));

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    @Test
    void synToAClosedPortGetsARstAckWithAValidIpv6Checksum() throws IOException {
        List<byte[]> out = send(syn(40000, 80));
        TcpRepr rst = onlyTcp(out);
        assertEquals(new TcpRepr(80, 40000, 0, 1001, TcpPacket.RST | TcpPacket.ACK, 0, 0, List.of(),
                TcpRepr.NO_PAYLOAD), rst);
    }

    @Test
    void listenerOnOurAddressAnswersWithMssOfMtuLessSixty() throws IOException {
        stack.tcp().listen(STACK6, 80, 8, SocketOptions.DEFAULT);
        TcpRepr synAck = onlyTcp(send(syn(40000, 80)));
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, synAck.flags());
        assertEquals(1001, synAck.ack());
        assertEquals(1440, synAck.mss().orElseThrow(), "RFC 8200 §8.3: 1500 - 40 - 20");
        TcpConnection c = stack.tcp().connections().getFirst();
        assertEquals(new FourTuple(STACK6, 80, KERNEL6, 40000), c.tuple());
        assertEquals(TcpState.SYN_RECEIVED, c.state());
    }

    @Test
    void segmentWithABadChecksumIsCountedAndNeverReachesTcp() throws IOException {
        stack.tcp().listen(STACK6, 80, 8, SocketOptions.DEFAULT);
        byte[] packet = syn(40000, 80);
        packet[packet.length - 1] ^= 1;
        assertEquals(List.of(), send(packet));
        assertEquals(1, stack.counters().malformed(Malformed.TCP_BAD_CHECKSUM));
        assertEquals(0, stack.tcp().counters().inSegs());
    }

    @Test
    void aWildcardIpv6ListenerServesBothFamiliesUnlessIpv6Only() throws IOException {
        stack.tcp().listen(IpAddress.ANY_IPV6, 80, 8, SocketOptions.DEFAULT);
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, onlyTcp(send(syn(40000, 80))).flags());
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, onlyTcp4(send(syn4(40001, 80))).flags());
        stack.tcp().listen(IpAddress.ANY_IPV6, 81, 8, SocketOptions.DEFAULT.withIpv6Only(true));
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, onlyTcp(send(syn(40002, 81))).flags());
        assertEquals(TcpPacket.RST | TcpPacket.ACK, onlyTcp4(send(syn4(40003, 81))).flags());
    }

    /** Linux inet_rcv_saddr_equal(): :: covers 0.0.0.0 unless IPV6_V6ONLY. */
    @Test
    void bindConflictsFollowTheFamiliesTheWildcardsCover() {
        stack.tcp().listen(IpAddress.ANY_IPV4, 80, 8, SocketOptions.DEFAULT);
        TcpException e = assertThrows(TcpException.class,
                () -> stack.tcp().listen(IpAddress.ANY_IPV6, 80, 8, SocketOptions.DEFAULT));
        assertEquals(TcpError.EADDRINUSE, e.error());
        stack.tcp().listen(IpAddress.ANY_IPV6, 80, 8, SocketOptions.DEFAULT.withIpv6Only(true));
        assertThrows(TcpException.class, () -> stack.tcp().listen(STACK6, 80, 8, SocketOptions.DEFAULT));
    }

    @Test
    void activeOpenOverIpv6SendsASynWithMssOfMtuLessSixty() throws IOException {
        TcpConnection c = stack.tcp().connect(new FourTuple(STACK6, 0, KERNEL6, 8080), 0);
        List<byte[]> out = link.drain();
        TcpRepr syn = onlyTcp(out);
        assertEquals(TcpPacket.SYN, syn.flags());
        assertEquals(1440, syn.mss().orElseThrow());
        assertEquals(c.tuple().localPort(), syn.srcPort());
    }

    @Test
    void portUnreachableFailsAnOpeningConnectionWithEconnrefused() throws IOException {
        TcpConnection c = stack.tcp().connect(new FourTuple(STACK6, 0, KERNEL6, 8080), 0);
        byte[] ourSyn = link.drain().getFirst();
        send(Ipv6Packets.icmp(KERNEL6, STACK6, Icmpv6Repr.destinationUnreachable(
                Icmpv6Repr.CODE_PORT_UNREACHABLE, ourSyn)));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpError.ECONNREFUSED, c.error());
    }

    /** RFC 8201 §4, Linux tcp_v6_mtu_reduced(): the MSS drops to the MTU less 60, and data goes again in smaller segments. */
    @Test
    void packetTooBigLowersTheMssOfALiveConnection() throws IOException {
        stack.tcp().listen(STACK6, 80, 8, SocketOptions.DEFAULT);
        TcpRepr synAck = onlyTcp(send(synWithMss(40000, 80, 1440)));
        send(Ipv6Packets.tcp(KERNEL6, STACK6, new TcpRepr(40000, 80, 1001, synAck.seq() + 1, TcpPacket.ACK,
                64000, 0, List.of(), TcpRepr.NO_PAYLOAD)));
        TcpConnection c = stack.tcp().connections().getFirst();
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1440, c.sndMss());
        c.write(new byte[3000], 0, 3000, 0);
        List<byte[]> data = link.drain();
        assertTrue(data.size() >= 2);
        byte[] big = data.getFirst();
        assertEquals(1440, onlyTcp(List.of(big)).payload().byteSize());
        List<byte[]> again = send(Ipv6Packets.icmp(KERNEL6, STACK6,
                Icmpv6Repr.packetTooBig(1280, Arrays.copyOf(big, 1232))));
        assertEquals(1220, c.sndMss());
        assertTrue(!again.isEmpty(), "the data in flight goes again");
        for (byte[] p : again) {
            assertTrue(p.length <= 1280, "packet of " + p.length + " bytes over the new path MTU");
        }
        assertEquals(synAck.seq() + 1, onlyTcp(List.of(again.getFirst())).seq());
    }

    /** With SACK, Linux tcp_simple_retransmit(): the segments longer than the new MSS are marked lost and sent again split. */
    @Test
    void packetTooBigWithSackResendsTheLongerSegmentsSplit() throws IOException {
        stack.tcp().listen(STACK6, 80, 8, SocketOptions.DEFAULT);
        TcpRepr synAck = onlyTcp(send(Ipv6Packets.tcp(KERNEL6, STACK6, new TcpRepr(40000, 80, 1000, 0, TcpPacket.SYN,
                64800, 0, List.of(new TcpOption.MaxSegmentSize(1440), TcpOption.SACK_PERMITTED, TcpOption.NOP,
                TcpOption.NOP), TcpRepr.NO_PAYLOAD))));
        assertTrue(synAck.sackPermitted());
        send(Ipv6Packets.tcp(KERNEL6, STACK6, new TcpRepr(40000, 80, 1001, synAck.seq() + 1, TcpPacket.ACK,
                64000, 0, List.of(), TcpRepr.NO_PAYLOAD)));
        TcpConnection c = stack.tcp().connections().getFirst();
        c.write(new byte[2880], 0, 2880, 0);
        List<byte[]> data = link.drain();
        assertEquals(2, data.size());
        List<byte[]> again = send(Ipv6Packets.icmp(KERNEL6, STACK6,
                Icmpv6Repr.packetTooBig(1280, Arrays.copyOf(data.getFirst(), 1232))));
        assertEquals(1220, c.sndMss());
        assertEquals(4, again.size(), "each 1440-byte segment again as 1220 + 220, as Linux's tcp_retransmit_skb() splits it");
        long resent = 0;
        for (byte[] p : again) {
            assertTrue(p.length <= 1280, "packet of " + p.length + " bytes over the new path MTU");
            resent += onlyTcp(List.of(p)).payload().byteSize();
        }
        assertEquals(2880, resent);
    }

    @Test
    void packetTooBigBelowTheIpv6MinimumIsIgnored() throws IOException {
        TcpConnection c = stack.tcp().connect(new FourTuple(STACK6, 0, KERNEL6, 8080), 0);
        byte[] ourSyn = link.drain().getFirst();
        int before = c.sndMss();
        send(Ipv6Packets.icmp(KERNEL6, STACK6, Icmpv6Repr.packetTooBig(1000, ourSyn)));
        assertEquals(before, c.sndMss());
    }

    private List<byte[]> send(byte[] packet) throws IOException {
        link.inject(packet);
        stack.poll(0);
        return link.drain();
    }

    private static byte[] syn(int srcPort, int dstPort) {
        return synWithMss(srcPort, dstPort, 1440);
    }

    private static byte[] synWithMss(int srcPort, int dstPort, int mss) {
        return Ipv6Packets.tcp(KERNEL6, STACK6, new TcpRepr(srcPort, dstPort, 1000, 0, TcpPacket.SYN, 64800, 0,
                List.of(new TcpOption.MaxSegmentSize(mss)), TcpRepr.NO_PAYLOAD));
    }

    private static byte[] syn4(int srcPort, int dstPort) {
        TcpRepr syn = new TcpRepr(srcPort, dstPort, 1000, 0, TcpPacket.SYN, 64240, 0,
                List.of(new TcpOption.MaxSegmentSize(1460)), TcpRepr.NO_PAYLOAD);
        Ipv4Repr ip = Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_TCP, 64, syn.bufferLength());
        MemorySegment buffer = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(buffer);
        syn.emit(buffer.asSlice(ip.headerLength()), KERNEL, STACK);
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }

    private static TcpRepr onlyTcp(List<byte[]> out) {
        assertEquals(1, out.size(), "one packet");
        Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertEquals(Ipv4Packet.PROTO_TCP, ip.nextHeader());
        return TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
    }

    private static TcpRepr onlyTcp4(List<byte[]> out) {
        assertEquals(1, out.size(), "one packet");
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst()));
        return TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
    }
}
