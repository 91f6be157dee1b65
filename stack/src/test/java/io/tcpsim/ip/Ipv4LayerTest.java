package io.tcpsim.ip;

import static io.tcpsim.ip.IpPackets.KERNEL;
import static io.tcpsim.ip.IpPackets.STACK;
import static io.tcpsim.ip.IpPackets.echoRequest;
import static io.tcpsim.ip.IpPackets.refreshHeaderChecksum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.QueueLink;
import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** IPv4 input through the whole stack on a {@link QueueLink}: what is answered, what is dropped and why. */
class Ipv4LayerTest {

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link, StackConfig.linuxDefaults(STACK, 1500));

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    private List<byte[]> send(byte[] packet) throws IOException {
        link.inject(packet);
        stack.poll(0);
        return link.drain();
    }

    @Test
    void echoRequestIsAnsweredWithEchoReplyFromTheAddressItWasSentTo() throws IOException {
        byte[] data = "abcdefgh-0123456789".getBytes();
        List<byte[]> out = send(echoRequest(KERNEL, STACK, 0x4242, 9, data));

        assertEquals(1, out.size());
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst()));
        Ipv4Repr header = Ipv4Repr.parse(ip);
        assertEquals(STACK, header.srcAddr());
        assertEquals(KERNEL, header.dstAddr());
        assertEquals(Ipv4Packet.PROTO_ICMP, header.protocol());
        assertEquals(64, header.ttl());
        Icmpv4Repr reply = Icmpv4Repr.parse(Icmpv4Packet.checked(ip.payload()));
        assertEquals(new Icmpv4Repr.EchoReply(0x4242, 9, data), reply);
        assertEquals(1, stack.counters().snapshot().get("IcmpOutEchoReps"));
    }

    @Test
    void echoRequestsOfEverySizeUpToTheMtuAreAnswered() throws IOException {
        for (int size = 0; size <= 1472; size += 92) {
            byte[] data = new byte[size];
            Arrays.fill(data, (byte) size);
            List<byte[]> out = send(echoRequest(KERNEL, STACK, 1, size, data));
            assertEquals(1, out.size(), "size " + size);
            assertEquals(28 + size, out.getFirst().length);
            Icmpv4Packet icmp = Icmpv4Packet.checked(Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst())).payload());
            assertTrue(icmp.verifyChecksum(), "checksum of the reply to " + size + " bytes");
        }
    }

    @Test
    void echoReplyChecksumIsRightWhenTheRequestChecksumIsNearItsWrapPoint() throws IOException {
        for (int sequence = 0; sequence < 4096; sequence += 1) {
            List<byte[]> out = send(echoRequest(KERNEL, STACK, 0xF7FF, sequence, new byte[0]));
            Icmpv4Packet icmp = Icmpv4Packet.checked(Ipv4Packet.checked(MemorySegment.ofArray(out.getFirst())).payload());
            assertTrue(icmp.verifyChecksum(), "sequence " + sequence);
        }
    }

    @Test
    void packetForAnotherAddressIsDroppedAsNotOurs() throws IOException {
        assertDropped(echoRequest(KERNEL, Ipv4Address.parse("10.0.0.9"), 1, 1, new byte[8]), IpDrop.NOT_OUR_ADDRESS);
    }

    @Test
    void martianSourcesAreDropped() throws IOException {
        for (String source : List.of("224.0.0.1", "255.255.255.255", "127.0.0.1", "0.0.0.0")) {
            assertDropped(echoRequest(Ipv4Address.parse(source), STACK, 1, 1, new byte[8]), IpDrop.BAD_SOURCE);
        }
        assertDropped(echoRequest(STACK, STACK, 1, 1, new byte[8]), IpDrop.BAD_SOURCE); // land: our own address
        assertEquals(5, stack.counters().dropped(IpDrop.BAD_SOURCE));
    }

    @Test
    void ttlZeroAddressedToUsIsDeliveredAsLinuxDoes() throws IOException {
        byte[] packet = echoRequest(new byte[4]);
        packet[8] = 0;
        assertEquals(1, send(refreshHeaderChecksum(packet)).size(), "Linux ip_rcv_core() does not look at TTL");
        assertEquals(0, stack.counters().totalDropped());
    }

    @Test
    void protocolsWithoutHandlerAreDroppedAsUnknown() throws IOException {
        int sctp = 132;
        assertDropped(IpPackets.ipv4(Ipv4Repr.of(KERNEL, STACK, sctp, 64, 20), new byte[20]), IpDrop.UNKNOWN_PROTOCOL);
    }

    @Test
    void icmpOtherThanEchoIsCountedNotAnswered() throws IOException {
        Icmpv4Repr reply = new Icmpv4Repr.EchoReply(1, 1, new byte[4]);
        byte[] packet = IpPackets.icmp(Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_ICMP, 64, reply.bufferLength()), reply);
        assertDropped(packet, IpDrop.ICMP_TYPE_NOT_HANDLED);
    }

    @Test
    void ipv6PacketsWithoutAnIpv6LayerAreCountedAsNotConfigured() throws IOException {
        byte[] packet = new byte[40];
        packet[0] = 0x60;
        assertDropped(packet, IpDrop.IPV6_NOT_CONFIGURED);
    }

    @Test
    void emptyPacketIsCountedAsEmpty() throws IOException {
        IpCounters counters = new IpCounters();
        try (Arena arena = Arena.ofConfined()) {
            new Ipv4Layer(STACK, link, counters, arena).input(MemorySegment.ofArray(new byte[0]), 0);
        }
        assertEquals(1, counters.dropped(IpDrop.EMPTY));
        assertEquals(0, link.drain().size());
    }

    @Test
    void malformedIpv4HeadersAreCountedUnderTheirReason() throws IOException {
        byte[] good = echoRequest(new byte[8]);
        assertMalformed(Arrays.copyOf(good, 12), Malformed.TRUNCATED);
        assertMalformed(withByte(good, 0, 0x55), Malformed.IPV4_BAD_VERSION);
        assertMalformed(withByte(good, 0, 0x44), Malformed.IPV4_BAD_IHL);
        assertMalformed(withByte(good, 0, 0x4F), Malformed.IPV4_IHL_PAST_TOTAL_LENGTH);
        assertMalformed(withTotalLength(good, good.length + 1), Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER);
        assertMalformed(withTotalLength(good, 19), Malformed.IPV4_TOTAL_LENGTH_TOO_SHORT);
        assertMalformed(withByte(good, 10, good[10] ^ 0x01), Malformed.IPV4_BAD_CHECKSUM);
    }

    @Test
    void malformedIcmpIsCountedUnderItsReason() throws IOException {
        byte[] shortIcmp = IpPackets.ipv4(Ipv4Repr.of(KERNEL, STACK, Ipv4Packet.PROTO_ICMP, 64, 4), new byte[] {8, 0, 0, 0});
        assertMalformed(shortIcmp, Malformed.ICMP_TRUNCATED);
        byte[] badChecksum = echoRequest(new byte[8]);
        badChecksum[22] ^= 0x10;
        assertMalformed(badChecksum, Malformed.ICMP_BAD_CHECKSUM);
    }

    @Test
    void bytesPastTheTotalLengthAreIgnored() throws IOException {
        byte[] request = echoRequest(new byte[8]);
        List<byte[]> out = send(Arrays.copyOf(request, request.length + 30));
        assertEquals(1, out.size());
        assertEquals(request.length, out.getFirst().length);
    }

    private void assertDropped(byte[] packet, IpDrop reason) throws IOException {
        long before = stack.counters().dropped(reason);
        assertEquals(List.of(), send(packet).stream().map(Arrays::toString).toList(), "nothing is sent back");
        assertEquals(before + 1, stack.counters().dropped(reason), reason.name());
    }

    private void assertMalformed(byte[] packet, Malformed reason) throws IOException {
        long before = stack.counters().malformed(reason);
        assertEquals(0, send(packet).size(), "nothing is sent back for " + reason);
        assertEquals(before + 1, stack.counters().malformed(reason), reason.name());
        assertEquals(0, stack.counters().dropped(IpDrop.INTERNAL_ERROR));
    }

    private static byte[] withByte(byte[] packet, int offset, int value) {
        byte[] copy = packet.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static byte[] withTotalLength(byte[] packet, int totalLength) {
        byte[] copy = packet.clone();
        copy[2] = (byte) (totalLength >> 8);
        copy[3] = (byte) totalLength;
        return refreshHeaderChecksum(copy);
    }
}
