package io.tcpsim;

import static io.tcpsim.ip.Ipv6Packets.KERNEL6;
import static io.tcpsim.ip.Ipv6Packets.STACK6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.ip.Ipv6Packets;
import io.tcpsim.link.QueueLink;
import io.tcpsim.udp.DatagramListener;
import io.tcpsim.udp.UdpEndpoint;
import io.tcpsim.udp.UdpError;
import io.tcpsim.udp.UdpLayer;
import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.UdpPacket;
import io.tcpsim.wire.UdpRepr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UDP behind IPv6 on a QueueLink, in virtual time (RFC 8200 §8.1, RFC 4443): the mandatory
 * checksum over the IPv6 pseudo-header, the ICMPv6 port unreachable for a port nobody holds (and
 * its rate limit), what a dual-stack endpoint on {@code ::} takes and sends, fragments out, and an
 * ICMPv6 error refusing a connected endpoint.
 */
class UdpOverIpv6Test {
    private static final int STACK = Ipv4Address.parse("10.0.0.2");
    private static final IpAddress KERNEL4 = IpAddress.parse("10.0.0.1");
    private static final ValueLayout.OfShort NETWORK_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final DatagramListener QUIET = new DatagramListener() {
        @Override
        public void readable(UdpEndpoint endpoint) {
        }

        @Override
        public void errorReported(UdpEndpoint endpoint) {
        }
    };

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link, StackConfig.linuxDefaults(STACK, 1500).withAddress6(STACK6));

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    @Test
    void datagramToAClosedPort_getsAnIcmpv6PortUnreachableQuotingIt() throws IOException {
        byte[] datagram = datagram(KERNEL6, new UdpRepr(40000, 5000, payload(100)));
        List<byte[]> out = receive(datagram);
        assertEquals(1, out.size());
        Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertEquals(STACK6, IpAddress.ofIpv6(ip.srcAddr()));
        assertEquals(KERNEL6, IpAddress.ofIpv6(ip.dstAddr()));
        assertEquals(Icmpv6Packet.NEXT_HEADER, ip.nextHeader());
        Icmpv6Repr icmp = Icmpv6Repr.parse(Icmpv6Packet.checked(ip.segment().asSlice(Ipv6Packet.HEADER_LENGTH)),
                STACK6.segment(), KERNEL6.segment());
        assertEquals(Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_PORT_UNREACHABLE, datagram), icmp);
        assertEquals(1, stack.udp().counters().noPorts());
        assertEquals(1L, stack.counters().snapshot().get("Icmp6OutDestUnreachs"));
    }

    /** Linux icmpv6_xrlim_allow(): 1000 ms per destination with a burst of 6, like ICMP's. */
    @Test
    void portUnreachables_toOneDestination_areRateLimited() throws IOException {
        int answered = 0;
        for (int i = 0; i < 10; i++) {
            answered += receive(datagram(KERNEL6, new UdpRepr(40000, 5000, payload(4)))).size();
        }
        assertEquals(6, answered);
        assertEquals(10, stack.udp().counters().noPorts());
        assertEquals(4L, stack.counters().snapshot().get("IcmpOutRateLimitHost"));
    }

    /** RFC 8200 §8.1: a zero checksum is not allowed over IPv6; Linux udp6_csum_init() drops it. */
    @Test
    void zeroChecksum_droppedAndCountedAsACsumErrorWithoutIcmp() throws IOException {
        bound(IpAddress.ANY_IPV6, 5000);
        byte[] datagram = datagram(KERNEL6, new UdpRepr(40000, 5000, payload(10)));
        datagram[Ipv6Packet.HEADER_LENGTH + 6] = 0;
        datagram[Ipv6Packet.HEADER_LENGTH + 7] = 0;
        assertEquals(List.of(), receive(datagram));
        assertEquals(1, stack.counters().malformed(Malformed.UDP_ZERO_CHECKSUM_IPV6));
        assertEquals(1, stack.udp().counters().inCsumErrors());
        assertEquals(1, stack.udp().counters().inErrors());
    }

    @Test
    void badChecksum_droppedAndCounted() throws IOException {
        byte[] datagram = datagram(KERNEL6, new UdpRepr(40000, 5000, payload(10)));
        datagram[datagram.length - 1] ^= 0x01;
        assertEquals(List.of(), receive(datagram));
        assertEquals(1, stack.counters().malformed(Malformed.UDP_BAD_CHECKSUM));
        assertEquals(1, stack.udp().counters().inCsumErrors());
        assertEquals(0, stack.udp().counters().noPorts());
    }

    @Test
    void dualStackWildcard_takesIpv6AndIpv4_andAnswersEachInItsFamily() throws IOException {
        UdpEndpoint e = bound(IpAddress.ANY_IPV6, 5000);
        assertEquals(List.of(), receive(datagram(KERNEL6, new UdpRepr(40000, 5000, payload(10)))));
        assertEquals(List.of(), receive(ipv4Datagram(new UdpRepr(40001, 5000, payload(12)))));
        assertEquals(KERNEL6, e.take().srcAddr());
        assertEquals(KERNEL4, e.take().srcAddr());

        stack.udp().send(e, KERNEL6, 40000, "six".getBytes(), 0, 3);
        stack.udp().send(e, KERNEL4, 40001, "four".getBytes(), 0, 4);
        List<byte[]> out = link.drain();
        Ipv6Packet ip6 = Ipv6Packet.checked(MemorySegment.ofArray(out.get(0)));
        assertEquals(STACK6, IpAddress.ofIpv6(ip6.srcAddr()));
        UdpRepr six = UdpRepr.parse(UdpPacket.checked(ip6.segment().asSlice(Ipv6Packet.HEADER_LENGTH)),
                ip6.srcAddr(), ip6.dstAddr());
        assertEquals(new UdpRepr(5000, 40000, MemorySegment.ofArray("six".getBytes())), six);
        Ipv4Packet ip4 = Ipv4Packet.checked(MemorySegment.ofArray(out.get(1)));
        assertEquals(STACK, ip4.srcAddr());
        assertEquals(new UdpRepr(5000, 40001, MemorySegment.ofArray("four".getBytes())),
                UdpRepr.parse(UdpPacket.checked(ip4.payload()), ip4.srcAddr(), ip4.dstAddr()));
    }

    @Test
    void v6onlyWildcard_leavesIpv4ToThePortUnreachable() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, true);
        e.setIpv6Only(true);
        assertTrue(stack.udp().bind(e, IpAddress.ANY_IPV6, 5000));
        List<byte[]> out = receive(ipv4Datagram(new UdpRepr(40001, 5000, payload(12))));
        assertEquals(1, out.size(), "an ICMP port unreachable");
        assertEquals(0, e.queuedDatagrams());
        assertEquals(List.of(), receive(datagram(KERNEL6, new UdpRepr(40000, 5000, payload(10)))));
        assertEquals(1, e.queuedDatagrams());
    }

    /** Linux icmpv6_err_convert(): port unreachable (code 4) is ECONNREFUSED, a hard error. */
    @Test
    void icmpv6PortUnreachableFromThePeer_refusesTheConnectedEndpoint() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, true);
        stack.udp().autobind(e);
        stack.udp().connect(e, KERNEL6, 7);
        stack.udp().send(e, KERNEL6, 7, "x".getBytes(), 0, 1);
        byte[] ours = link.drain().getFirst();
        link.inject(Ipv6Packets.icmp(KERNEL6, STACK6,
                Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_PORT_UNREACHABLE, ours)));
        stack.poll(0);
        assertEquals(UdpError.ECONNREFUSED, e.takeError());
    }

    /** Linux icmpv6_err_convert(): no route (code 0) is a soft error, ignored without IPV6_RECVERR. */
    @Test
    void icmpv6NoRoute_isIgnored() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, true);
        stack.udp().autobind(e);
        stack.udp().connect(e, KERNEL6, 7);
        stack.udp().send(e, KERNEL6, 7, "x".getBytes(), 0, 1);
        byte[] ours = link.drain().getFirst();
        link.inject(Ipv6Packets.icmp(KERNEL6, STACK6,
                Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_NO_ROUTE, ours)));
        stack.poll(0);
        assertFalse(e.hasError());
    }

    /** RFC 8200 §4.5: 3008 bytes of UDP over MTU 1500 go in fragments of 1448, 1448 and 112 bytes. */
    @Test
    void largeDatagram_goesOutInFragmentsThatReassembleToIt() throws IOException {
        UdpEndpoint e = bound(IpAddress.ANY_IPV6, 5000);
        byte[] data = payload(3000).toArray(ValueLayout.JAVA_BYTE);
        stack.udp().send(e, KERNEL6, 7, data, 0, data.length);
        List<byte[]> fragments = link.drain();
        assertEquals(3, fragments.size());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        int identification = 0;
        int[] lengths = {1448, 1448, 112};
        for (int i = 0; i < 3; i++) {
            Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(fragments.get(i)));
            assertEquals(Ipv6Packet.NEXT_FRAGMENT, ip.nextHeader());
            MemorySegment header = ip.segment().asSlice(Ipv6Packet.HEADER_LENGTH, 8);
            assertEquals(Ipv4Packet.PROTO_UDP, header.get(ValueLayout.JAVA_BYTE, 0));
            int offsetAndMore = Short.toUnsignedInt(header.get(NETWORK_SHORT, 2));
            assertEquals(i * 1448, offsetAndMore & ~7, "offset of fragment " + i);
            assertEquals(i < 2 ? 1 : 0, offsetAndMore & 1, "M flag of fragment " + i);
            int id = header.get(NETWORK_INT, 4);
            identification = i == 0 ? id : identification;
            assertEquals(identification, id);
            assertEquals(8 + lengths[i], ip.payloadLength());
            MemorySegment part = ip.segment().asSlice(Ipv6Packet.HEADER_LENGTH + 8, lengths[i]);
            whole.writeBytes(part.toArray(ValueLayout.JAVA_BYTE));
        }
        UdpRepr udp = UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(whole.toByteArray())),
                STACK6.segment(), KERNEL6.segment());
        assertArrayEquals(data, udp.payloadBytes());
        assertEquals(3L, stack.counters().snapshot().get("IpFragCreates"));
        assertEquals(65527, UdpLayer.maxPayload(KERNEL6));
    }

    private UdpEndpoint bound(IpAddress addr, int port) {
        UdpEndpoint e = stack.udp().open(QUIET, true);
        assertTrue(stack.udp().bind(e, addr, port));
        return e;
    }

    private List<byte[]> receive(byte[] packet) throws IOException {
        link.inject(packet);
        stack.poll(0);
        return link.drain();
    }

    private static MemorySegment payload(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7 + 1);
        }
        return MemorySegment.ofArray(bytes);
    }

    private static byte[] datagram(IpAddress src, UdpRepr udp) {
        byte[] bytes = new byte[udp.bufferLength()];
        udp.emit(UdpPacket.unchecked(MemorySegment.ofArray(bytes)), src.segment(), STACK6.segment());
        return Ipv6Packets.packet(src, STACK6, Ipv4Packet.PROTO_UDP, 64, bytes);
    }

    private static byte[] ipv4Datagram(UdpRepr udp) {
        Ipv4Repr ip = Ipv4Repr.of(KERNEL4.ipv4(), STACK, Ipv4Packet.PROTO_UDP, 64,
                udp.bufferLength());
        MemorySegment buffer = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(buffer);
        udp.emit(buffer.asSlice(ip.headerLength()), KERNEL4.ipv4(), STACK);
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }
}
