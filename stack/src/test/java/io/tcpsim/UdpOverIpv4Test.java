package io.tcpsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.QueueLink;
import io.tcpsim.udp.DatagramListener;
import io.tcpsim.udp.UdpEndpoint;
import io.tcpsim.udp.UdpError;
import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Malformed;
import io.tcpsim.wire.UdpPacket;
import io.tcpsim.wire.UdpRepr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UDP behind IPv4 on a QueueLink, in virtual time: what reaches UDP, the ICMP port unreachable for
 * a port nobody holds (its quote and Linux's rate limits), what UDP sends (fragments too).
 */
class UdpOverIpv4Test {

    private static final int KERNEL = Ipv4Address.parse("10.0.0.1");
    private static final int STACK = Ipv4Address.parse("10.0.0.2");
    private static final long SECOND = 1_000_000_000L;
    private static final DatagramListener QUIET = new DatagramListener() {
        @Override
        public void readable(UdpEndpoint endpoint) {
        }

        @Override
        public void errorReported(UdpEndpoint endpoint) {
        }
    };

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link, StackConfig.linuxDefaults(STACK, 1500));

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    @Test
    void datagramToAClosedPort_getsAPortUnreachableQuotingItAsLinuxBuildsIt() throws IOException {
        byte[] datagram = datagram(KERNEL, new UdpRepr(40000, 5000, payload(100)));
        List<byte[]> out = receive(datagram, 0);
        assertEquals(1, out.size());
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertTrue(ip.verifyChecksum());
        assertEquals(STACK, ip.srcAddr());
        assertEquals(KERNEL, ip.dstAddr());
        assertEquals(Ipv4Packet.PROTO_ICMP, ip.protocol());
        assertEquals(0xC0, ip.dscp() << 2 | ip.ecn(), "TOS: Internet control");
        assertFalse(ip.dontFragment());
        Icmpv4Repr icmp = Icmpv4Repr.parse(Icmpv4Packet.checked(ip.payload()));
        assertEquals(new Icmpv4Repr.DestinationUnreachable(3, 0, datagram), icmp, "the whole datagram quoted");
        assertEquals(1, stack.udp().counters().noPorts());
        assertEquals(1L, stack.counters().snapshot().get("IcmpOutDestUnreachs"));
    }

    @Test
    void longDatagramToAClosedPort_quoteFillsA576ByteError() throws IOException {
        byte[] datagram = datagram(KERNEL, new UdpRepr(40000, 5000, payload(1000)));
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(receive(datagram, 0).getFirst()));
        assertEquals(576, ip.totalLength());
        Icmpv4Repr.DestinationUnreachable icmp = assertInstanceOf(Icmpv4Repr.DestinationUnreachable.class,
                Icmpv4Repr.parse(Icmpv4Packet.checked(ip.payload())));
        assertArrayEquals(Arrays.copyOf(datagram, 548), icmp.quoted());
    }

    @Test
    void badChecksum_droppedAndCountedWithoutAnIcmpError() throws IOException {
        byte[] datagram = datagram(KERNEL, new UdpRepr(40000, 5000, payload(10)));
        datagram[datagram.length - 1] ^= 0x01;
        assertEquals(List.of(), receive(datagram, 0));
        assertEquals(1, stack.udp().counters().inCsumErrors());
        assertEquals(1, stack.udp().counters().inErrors());
        assertEquals(0, stack.udp().counters().noPorts());
        assertEquals(1, stack.counters().malformed(Malformed.UDP_BAD_CHECKSUM));
    }

    @Test
    void lengthFieldPastTheDatagram_droppedAsMalformed() throws IOException {
        byte[] datagram = datagram(KERNEL, new UdpRepr(40000, 5000, payload(10)));
        datagram[20 + 5] = 100;
        assertEquals(List.of(), receive(datagram, 0));
        assertEquals(1, stack.udp().counters().inErrors());
        assertEquals(0, stack.udp().counters().inCsumErrors());
        assertEquals(1, stack.counters().malformed(Malformed.UDP_LENGTH_PAST_PACKET));
    }

    @Test
    void boundEndpoint_getsTheDatagramAndNoIcmpGoesOut() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, false);
        assertTrue(stack.udp().bind(e, IpAddress.ANY_IPV4, 5000));
        assertEquals(List.of(), receive(datagram(KERNEL, new UdpRepr(40000, 5000, payload(10))), 0));
        assertArrayEquals(payload(10).toArray(ValueLayout.JAVA_BYTE), e.take().data());
    }

    /** icmp_ratelimit 1000 ms with a burst of 6 (XRLIM_BURST_FACTOR) per destination. */
    @Test
    void portUnreachables_toOneDestination_sixAtOnceThenOneASecond() throws IOException {
        assertEquals(6, unreachablesFor(KERNEL, 10, 0));
        assertEquals(4L, stack.counters().snapshot().get("IcmpOutRateLimitHost"));
        assertEquals(0, unreachablesFor(KERNEL, 3, SECOND / 2));
        assertEquals(1, unreachablesFor(KERNEL, 3, SECOND));
        assertEquals(2, unreachablesFor(KERNEL, 3, 3 * SECOND));
        assertEquals(6, unreachablesFor(KERNEL, 10, 60 * SECOND));
    }

    /** icmp_msgs_burst 50, icmp_msgs_per_sec 1000: many destinations at once share 50 credits. */
    @Test
    void portUnreachables_toManyDestinations_fiftyThenTheGlobalRate() throws IOException {
        int sent = 0;
        for (int i = 0; i < 80; i++) {
            sent += unreachablesFor(Ipv4Address.parse("10.0.1.1") + i, 1, 0);
        }
        assertEquals(50, sent);
        Map<String, Long> counters = stack.counters().snapshot();
        assertEquals(30L, counters.get("IcmpOutRateLimitGlobal"));
        assertEquals(0, unreachablesFor(Ipv4Address.parse("10.0.2.1"), 1, SECOND / 100), "no refill within 20 ms");
        int later = 0;
        for (int i = 0; i < 40; i++) {
            later += unreachablesFor(Ipv4Address.parse("10.0.3.1") + i, 1, SECOND / 50);
        }
        assertEquals(20, later, "20 ms later: 1000/s x 20 ms = 20 credits");
    }

    @Test
    void smallDatagram_goesOutInOneDatagramWithDontFragment() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, false);
        stack.udp().bind(e, IpAddress.ANY_IPV4, 5000);
        stack.udp().send(e, IpAddress.ofIpv4(KERNEL), 7, "hello".getBytes(), 0, 5);
        List<byte[]> out = link.drain();
        assertEquals(1, out.size());
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertTrue(ip.dontFragment(), "Linux IP_PMTUDISC_WANT: DF on what fits");
        UdpRepr udp = UdpRepr.parse(UdpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
        assertEquals(new UdpRepr(5000, 7, MemorySegment.ofArray("hello".getBytes())), udp);
        assertEquals(1, stack.udp().counters().outDatagrams());
    }

    /** RFC 791 §3.2: 3000 bytes over MTU 1500 are fragments of 1480, 1480 and 48 bytes. */
    @Test
    void largeDatagram_goesOutInFragmentsThatReassembleToIt() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, false);
        stack.udp().bind(e, IpAddress.ANY_IPV4, 5000);
        byte[] data = payload(3000).toArray(ValueLayout.JAVA_BYTE);
        stack.udp().send(e, IpAddress.ofIpv4(KERNEL), 7, data, 0, data.length);
        List<byte[]> fragments = link.drain();
        assertEquals(3, fragments.size());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        int identification = -1;
        for (int i = 0; i < 3; i++) {
            Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(fragments.get(i)));
            assertTrue(ip.verifyChecksum());
            assertFalse(ip.dontFragment());
            assertEquals(i < 2, ip.moreFragments());
            assertEquals(i * 1480, ip.fragmentOffset());
            identification = i == 0 ? ip.identification() : identification;
            assertEquals(identification, ip.identification());
            whole.writeBytes(ip.payload().toArray(ValueLayout.JAVA_BYTE));
        }
        UdpRepr udp = UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(whole.toByteArray())), STACK, KERNEL);
        assertArrayEquals(data, udp.payloadBytes());
        Map<String, Long> counters = stack.counters().snapshot();
        assertEquals(1L, counters.get("IpFragOKs"));
        assertEquals(3L, counters.get("IpFragCreates"));
    }

    @Test
    void portUnreachableFromThePeer_refusesTheConnectedEndpoint() throws IOException {
        UdpEndpoint e = stack.udp().open(QUIET, false);
        stack.udp().autobind(e);
        stack.udp().connect(e, IpAddress.ofIpv4(KERNEL), 7);
        stack.udp().send(e, IpAddress.ofIpv4(KERNEL), 7, "x".getBytes(), 0, 1);
        byte[] ours = link.drain().getFirst();
        Icmpv4Repr unreachable = new Icmpv4Repr.DestinationUnreachable(3, 0, Arrays.copyOf(ours, 28));
        Ipv4Repr ip = Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_ICMP, 64, unreachable.bufferLength());
        byte[] packet = new byte[ip.bufferLength()];
        ip.emit(MemorySegment.ofArray(packet));
        unreachable.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(packet).asSlice(20)));
        link.inject(packet);
        stack.poll(0);
        assertEquals(UdpError.ECONNREFUSED, e.takeError());
    }

    /** How many ICMP errors {@code count} datagrams from src to a closed port at {@code now} draw. */
    private int unreachablesFor(int src, int count, long now) throws IOException {
        int answered = 0;
        for (int i = 0; i < count; i++) {
            answered += receive(datagram(src, new UdpRepr(40000, 5000, payload(4))), now).size();
        }
        return answered;
    }

    private List<byte[]> receive(byte[] datagram, long now) throws IOException {
        link.inject(datagram);
        stack.poll(now);
        return link.drain();
    }

    private static MemorySegment payload(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7 + 1);
        }
        return MemorySegment.ofArray(bytes);
    }

    private static byte[] datagram(int src, UdpRepr udp) {
        Ipv4Repr ip = Ipv4Repr.of(src, STACK, Ipv4Packet.PROTO_UDP, 64, udp.bufferLength());
        MemorySegment buffer = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(buffer);
        udp.emit(buffer.asSlice(ip.headerLength()), src, STACK);
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }
}
