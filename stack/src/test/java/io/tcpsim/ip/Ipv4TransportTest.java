package io.tcpsim.ip;

import static io.tcpsim.ip.IpPackets.KERNEL;
import static io.tcpsim.ip.IpPackets.STACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.QueueLink;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transports registered on the IPv4 layer get their datagrams; Ipv4Output builds valid ones. */
class Ipv4TransportTest {

    private final QueueLink link = new QueueLink(1500);
    private final IpCounters counters = new IpCounters();
    private final Arena arena = Arena.ofShared();
    private final Ipv4Layer ipv4 = new Ipv4Layer(STACK, link, counters, arena);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void registeredTransportReceivesItsDatagramsWithTheTime() throws IOException {
        List<String> seen = new ArrayList<>();
        ipv4.register(Ipv4Packet.PROTO_UDP, (datagram, now) ->
                seen.add(datagram.protocol() + "/" + datagram.payload().byteSize() + "@" + now));
        byte[] udp = IpPackets.ipv4(Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_UDP, 64, 12), new byte[12]);
        ipv4.input(MemorySegment.ofArray(udp), 777);
        assertEquals(List.of("17/12@777"), seen);
        assertEquals(1, counters.snapshot().get("IpInDelivers"));
    }

    @Test
    void outputBuildsAValidDatagramWithDontFragmentAsAsked() throws IOException {
        byte[] payload = {1, 2, 3, 4, 5};
        ipv4.output().send(STACK, KERNEL, Ipv4Packet.PROTO_TCP, payload.length, true,
                segment -> MemorySegment.copy(payload, 0, segment, ValueLayout.JAVA_BYTE, 0, payload.length));
        byte[] sent = link.drain().getFirst();
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(sent));
        assertTrue(ip.verifyChecksum());
        assertTrue(ip.dontFragment());
        assertEquals(STACK, ip.srcAddr());
        assertEquals(KERNEL, ip.dstAddr());
        assertEquals(64, ip.ttl());
        assertArrayEquals(payload, ip.payload().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void successiveDatagramsGetDifferentIdentifications() throws IOException {
        for (int i = 0; i < 2; i++) {
            ipv4.output().send(STACK, KERNEL, Ipv4Packet.PROTO_TCP, 0, true, segment -> { });
        }
        List<byte[]> sent = link.drain();
        int first = Ipv4Packet.checked(MemorySegment.ofArray(sent.get(0))).identification();
        int second = Ipv4Packet.checked(MemorySegment.ofArray(sent.get(1))).identification();
        assertEquals((first + 1) & 0xFFFF, second);
    }

    @Test
    void destinationUnreachableQuotingTcpGoesToTheTcpErrorHandler() throws IOException {
        List<String> seen = new ArrayList<>();
        ipv4.registerErrorHandler(Ipv4Packet.PROTO_TCP, (src, dst, code, quote, now) ->
                seen.add(code + " " + quote.srcPort() + ">" + quote.dstPort() + " seq " + quote.seqNumber()));
        byte[] quotedSyn = IpPackets.ipv4(Ipv4Repr.of(STACK, KERNEL, Ipv4Packet.PROTO_TCP, 64, 20),
                new byte[] {(byte) 0x9c, 0x40, 0, 80, 0, 0, 0, 42, 0, 0, 0, 0, 0x50, 0x02, 0, 0, 0, 0, 0, 0});
        Icmpv4Repr unreachable = new Icmpv4Repr.DestinationUnreachable(1, 0, Arrays.copyOf(quotedSyn, 28));
        ipv4.input(MemorySegment.ofArray(IpPackets.icmp(
                Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_ICMP, 64, unreachable.bufferLength()), unreachable)), 5);
        assertEquals(List.of("1 40000>80 seq 42"), seen);
    }

    @Test
    void destinationUnreachableWithAGarbledQuoteIsCountedMalformed() throws IOException {
        ipv4.registerErrorHandler(Ipv4Packet.PROTO_TCP, (src, dst, code, quote, now) -> {
            throw new AssertionError("must not be called");
        });
        Icmpv4Repr unreachable = new Icmpv4Repr.DestinationUnreachable(1, 0, new byte[28]);
        ipv4.input(MemorySegment.ofArray(IpPackets.icmp(
                Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_ICMP, 64, unreachable.bufferLength()), unreachable)), 5);
        assertEquals(1, counters.malformed(Malformed.ICMP_QUOTE_BAD_HEADER));
    }

    /**
     * Over a link that segments TCP packets, one datagram of a 64 KiB-class payload goes to it whole
     * with the segment size, DF and a valid header checksum; the next datagram's identification
     * follows those of the segments the link makes (Linux inet_gso_segment()).
     */
    @Test
    void segmentedOutputHandsTheLinkOneLargeDatagramAndCountsItsIdentifications() throws IOException {
        List<byte[]> segmented = new ArrayList<>();
        QueueLink inner = new QueueLink(1500);
        LinkDevice offloading = new LinkDevice() {
            @Override
            public int mtu() {
                return inner.mtu();
            }

            @Override
            public int receive(MemorySegment buffer) {
                return 0;
            }

            @Override
            public void transmit(MemorySegment packet) {
                inner.transmit(packet);
            }

            @Override
            public boolean segmentsOffloaded() {
                return true;
            }

            @Override
            public void transmitSegmented(MemorySegment packet, int segmentSize) {
                assertEquals(1000, segmentSize);
                segmented.add(packet.toArray(ValueLayout.JAVA_BYTE));
            }

            @Override
            public boolean awaitReceivable(long timeoutNanos) {
                return false;
            }

            @Override
            public void close() {
            }
        };
        Ipv4Output output = new Ipv4Layer(STACK, offloading, counters, arena).output();
        assertEquals(65_495, output.maxSegmentedPayload());
        output.sendSegmented(STACK, KERNEL, 20 + 3000, 1000, 3, segment -> { });
        output.send(STACK, KERNEL, Ipv4Packet.PROTO_TCP, 20, true, segment -> { });
        Ipv4Packet large = Ipv4Packet.checked(MemorySegment.ofArray(segmented.getFirst()));
        assertEquals(20 + 20 + 3000, large.totalLength());
        assertTrue(large.verifyChecksum());
        assertTrue(large.dontFragment());
        Ipv4Packet next = Ipv4Packet.checked(MemorySegment.ofArray(inner.drain().getFirst()));
        assertEquals((large.identification() + 3) & 0xFFFF, next.identification());
        assertEquals(0, ipv4.output().maxSegmentedPayload(), "a link without TSO takes no segmented datagram");
    }

    @Test
    void payloadLargerThanTheMtuIsRefused() {
        assertThrows(IllegalArgumentException.class, () ->
                ipv4.output().send(STACK, KERNEL, Ipv4Packet.PROTO_TCP, 1481, true, segment -> { }));
    }
}
