package io.tcpsim.ip;

import static io.tcpsim.ip.IpPackets.KERNEL;
import static io.tcpsim.ip.IpPackets.STACK;
import static io.tcpsim.ip.Ipv6Packets.KERNEL6;
import static io.tcpsim.ip.Ipv6Packets.STACK6;
import static io.tcpsim.ip.Ipv6Packets.concat;
import static io.tcpsim.ip.Ipv6Packets.icmpBytes;
import static io.tcpsim.ip.Ipv6Packets.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.QueueLink;
import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Icmpv4Repr;
import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.Ipv6Packet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fragment reassembly of both families through the whole stack on a {@link QueueLink} in virtual
 * time: the reassembled echo request is answered as an unfragmented one would be; overlaps,
 * inconsistent lengths, timeouts and the memory limit as Linux (ip_frag_queue(), ip6_frag_queue()).
 */
class FragmentReassemblyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int ICMPV6 = Icmpv6Packet.NEXT_HEADER;

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link, StackConfig.linuxDefaults(STACK, 1500).withAddress6(STACK6));
    private long now;

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    private List<byte[]> send(byte[]... packets) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (byte[] packet : packets) {
            link.inject(packet);
            stack.poll(now);
            out.addAll(link.drain());
        }
        return out;
    }

    private List<byte[]> at(long nanos) throws IOException {
        now = nanos;
        stack.poll(now);
        return link.drain();
    }

    private long counter(String name) {
        return stack.counters().snapshot().get(name);
    }

    // IPv4

    private static byte[] icmp4(int sequence, byte[] data) {
        byte[] packet = IpPackets.echoRequest(KERNEL, STACK, 0x99, sequence, data);
        return Arrays.copyOfRange(packet, Ipv4Packet.MIN_HEADER_LENGTH, packet.length);
    }

    /** A fragment of datagram {@code id} carrying {@code payload[from, to)}; M set unless it ends the payload. */
    private static byte[] fragment4(int id, byte[] payload, int from, int to) {
        return fragment4(id, Arrays.copyOfRange(payload, from, to), from, to < payload.length);
    }

    private static byte[] fragment4(int id, byte[] data, int offset, boolean more) {
        Ipv4Repr header = new Ipv4Repr(KERNEL, STACK, Ipv4Packet.PROTO_ICMP, 64, data.length, id, false, more,
                offset, 0, 0);
        return IpPackets.ipv4(header, data);
    }

    private static byte[] data(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        return data;
    }

    private static Icmpv4Repr icmp4Reply(byte[] packet) {
        return Icmpv4Repr.parse(Icmpv4Packet.checked(Ipv4Packet.checked(MemorySegment.ofArray(packet)).payload()));
    }

    @Test
    void ipv4InOrder_theReassembledEchoRequestIsAnswered() throws IOException {
        byte[] data = data(300);
        byte[] icmp = icmp4(1, data);
        List<byte[]> out = send(fragment4(5, icmp, 0, 104), fragment4(5, icmp, 104, 208), fragment4(5, icmp, 208, 308));
        assertEquals(1, out.size());
        assertEquals(new Icmpv4Repr.EchoReply(0x99, 1, data), icmp4Reply(out.getFirst()));
        assertEquals(3, counter("IpReasmReqds"));
        assertEquals(1, counter("IpReasmOKs"));
        assertEquals(0, counter("IpReasmFails"));
        assertEquals(0, stack.counters().totalDropped());
    }

    @Test
    void ipv4ReverseOrder_answeredWhenTheFirstFragmentComesLast() throws IOException {
        byte[] data = data(300);
        byte[] icmp = icmp4(2, data);
        assertEquals(List.of(), send(fragment4(6, icmp, 208, 308), fragment4(6, icmp, 104, 208)));
        List<byte[]> out = send(fragment4(6, icmp, 0, 104));
        assertEquals(new Icmpv4Repr.EchoReply(0x99, 2, data), icmp4Reply(out.getFirst()));
        assertEquals(1, counter("IpReasmOKs"));
    }

    @Test
    void ipv4Interleaved_twoDatagramsOfDifferentIdentificationsBothReassembled() throws IOException {
        byte[] a = icmp4(3, data(200));
        byte[] b = icmp4(4, data(150));
        List<byte[]> out = send(fragment4(7, a, 0, 96), fragment4(8, b, 0, 80), fragment4(7, a, 96, 208),
                fragment4(8, b, 80, 158));
        assertEquals(2, out.size());
        assertEquals(new Icmpv4Repr.EchoReply(0x99, 3, data(200)), icmp4Reply(out.get(0)));
        assertEquals(new Icmpv4Repr.EchoReply(0x99, 4, data(150)), icmp4Reply(out.get(1)));
    }

    @Test
    void ipv4Overlap_discardsTheWholeDatagramAsLinuxDoes() throws IOException {
        byte[] icmp = icmp4(5, data(300));
        assertEquals(List.of(), send(fragment4(9, icmp, 0, 104), fragment4(9, icmp, 96, 200),
                fragment4(9, icmp, 104, 208), fragment4(9, icmp, 208, 308)));
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_OVERLAP));
        assertEquals(1, counter("IpExtReasmOverlaps"));
        assertEquals(0, counter("IpReasmOKs"));
        assertTrue(counter("IpReasmFails") >= 1);
    }

    @Test
    void ipv4Duplicate_isIgnoredAndTheDatagramStillReassembled() throws IOException {
        byte[] icmp = icmp4(6, data(300));
        List<byte[]> out = send(fragment4(10, icmp, 0, 104), fragment4(10, icmp, 0, 104),
                fragment4(10, icmp, 104, 208), fragment4(10, icmp, 208, 308));
        assertEquals(1, out.size());
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_DUPLICATE));
        assertEquals(0, counter("IpReasmFails"));
    }

    @Test
    void ipv4Timeout_after30sTimeExceededCode1QuotingTheFirstFragment() throws IOException {
        byte[] icmp = icmp4(7, data(300));
        byte[] first = fragment4(11, icmp, 0, 104);
        send(first);
        assertEquals(30 * SECOND, stack.nextDeadline());
        assertEquals(List.of(), at(30 * SECOND - 1));
        List<byte[]> out = at(30 * SECOND);
        assertEquals(1, out.size());
        Icmpv4Repr error = icmp4Reply(out.getFirst());
        assertEquals(new Icmpv4Repr.TimeExceeded(1, first), error);
        assertEquals(1, counter("IpReasmTimeout"));
        assertEquals(1, counter("IpReasmFails"));
        assertEquals(1, counter("IcmpOutTimeExcds"));
        assertEquals(Long.MAX_VALUE, stack.nextDeadline());
        assertEquals(List.of(), send(fragment4(11, icmp, 104, 208), fragment4(11, icmp, 208, 308)),
                "the queue is gone: the later fragments start a new one");
    }

    @Test
    void ipv4Timeout_withoutTheFirstFragmentSendsNothing() throws IOException {
        byte[] icmp = icmp4(8, data(300));
        send(fragment4(12, icmp, 104, 208));
        assertEquals(List.of(), at(30 * SECOND));
        assertEquals(1, counter("IpReasmTimeout"));
    }

    @Test
    void ipv4TooBig_reassembledPast65535BytesIsDropped() throws IOException {
        byte[] payload = data(65_520);
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < payload.length; from += 1480) {
            out.addAll(send(fragment4(13, payload, from, Math.min(payload.length, from + 1480))));
        }
        assertEquals(List.of(), out);
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_TOO_BIG));
        assertEquals(1, counter("IpReasmFails"));
        assertEquals(0, counter("IpReasmOKs"));
    }

    @Test
    void ipv4LastFragmentDisagreeingWithDataHeld_discardsTheDatagram() throws IOException {
        byte[] icmp = icmp4(9, data(300));
        assertEquals(List.of(), send(fragment4(14, icmp, 104, 208), fragment4(14, Arrays.copyOf(icmp, 16), 40, false)));
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_BAD_LENGTH));
    }

    @Test
    void memoryLimit_above4MiBFragmentsAreRefusedUntilQueuesTimeOut() throws IOException {
        byte[] data = data(1480);
        int id = 0;
        while (stack.counters().dropped(IpDrop.FRAGMENT_NO_MEMORY) == 0) {
            send(fragment4(id++, data, 0, true));
            assertTrue(id < 4000, "refused before 4 MiB plus one fragment: " + id);
        }
        assertEquals(Reassembler.HIGH_THRESH / 1500 + 2, id, "4 MiB of 1500-byte fragments, then one refused");
        byte[] icmp = icmp4(10, data(300));
        assertEquals(List.of(), send(fragment4(50_000, icmp, 0, 104)));
        assertEquals(2, stack.counters().dropped(IpDrop.FRAGMENT_NO_MEMORY));
        at(30 * SECOND);
        List<byte[]> out = send(fragment4(50_001, icmp, 0, 104), fragment4(50_001, icmp, 104, 208),
                fragment4(50_001, icmp, 208, 308));
        assertEquals(new Icmpv4Repr.EchoReply(0x99, 10, data(300)), icmp4Reply(out.getLast()));
    }

    // IPv6

    private static byte[] icmp6(int sequence, byte[] data) {
        return icmpBytes(KERNEL6, STACK6, Icmpv6Repr.echoRequest(0x66, sequence, data));
    }

    private static byte[] fragment6(int id, byte[] payload, int from, int to) {
        return fragment6(id, Arrays.copyOfRange(payload, from, to), from, to < payload.length);
    }

    private static byte[] fragment6(int id, byte[] data, int offset, boolean more) {
        int field = offset | (more ? 1 : 0);
        byte[] header = {(byte) ICMPV6, 0, (byte) (field >> 8), (byte) field,
                (byte) (id >> 24), (byte) (id >> 16), (byte) (id >> 8), (byte) id};
        return packet(KERNEL6, STACK6, Ipv6Packet.NEXT_FRAGMENT, 64, concat(header, data));
    }

    private static Icmpv6Repr icmp6Of(byte[] packet) {
        Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(packet));
        return Icmpv6Repr.parse(Icmpv6Packet.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
    }

    @Test
    void ipv6InOrderAndReverse_theReassembledEchoRequestIsAnswered() throws IOException {
        byte[] icmp = icmp6(1, data(300));
        List<byte[]> out = send(fragment6(0x10000, icmp, 0, 104), fragment6(0x10000, icmp, 104, 208),
                fragment6(0x10000, icmp, 208, 308));
        assertEquals(Icmpv6Repr.echoReply(0x66, 1, data(300)), icmp6Of(out.getFirst()));
        byte[] again = icmp6(2, data(300));
        out = send(fragment6(0x10001, again, 208, 308), fragment6(0x10001, again, 104, 208),
                fragment6(0x10001, again, 0, 104));
        assertEquals(Icmpv6Repr.echoReply(0x66, 2, data(300)), icmp6Of(out.getFirst()));
        assertEquals(6, counter("Ip6ReasmReqds"));
        assertEquals(2, counter("Ip6ReasmOKs"));
        assertEquals(0, counter("IpReasmReqds"), "IPv6 counted apart, as Linux's snmp6");
    }

    @Test
    void ipv6Overlap_discardsThePacket_rfc5722() throws IOException {
        byte[] icmp = icmp6(3, data(300));
        assertEquals(List.of(), send(fragment6(20, icmp, 0, 104), fragment6(20, icmp, 96, 208),
                fragment6(20, icmp, 104, 208), fragment6(20, icmp, 208, 308)));
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_OVERLAP));
        assertEquals(0, counter("Ip6ReasmOKs"));
    }

    @Test
    void ipv6Duplicate_isIgnored() throws IOException {
        byte[] icmp = icmp6(4, data(300));
        List<byte[]> out = send(fragment6(21, icmp, 0, 104), fragment6(21, icmp, 104, 208),
                fragment6(21, icmp, 104, 208), fragment6(21, icmp, 208, 308));
        assertEquals(1, out.size());
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_DUPLICATE));
    }

    @Test
    void ipv6NotAMultipleOf8_parameterProblemAtThePayloadLength() throws IOException {
        byte[] invoking = fragment6(22, Arrays.copyOf(icmp6(7, data(300)), 100), 0, true);
        List<byte[]> out = send(invoking);
        assertEquals(Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_ERRONEOUS_HEADER, 4, invoking), icmp6Of(out.getFirst()));
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_BAD_LENGTH));
    }

    @Test
    void ipv6EndingPast65535_parameterProblemAtTheFragmentOffset() throws IOException {
        byte[] invoking = fragment6(23, Arrays.copyOf(icmp6(8, data(300)), 16), 65_528, false);
        List<byte[]> out = send(invoking);
        assertEquals(Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_ERRONEOUS_HEADER, 42, invoking), icmp6Of(out.getFirst()));
        assertEquals(1, stack.counters().dropped(IpDrop.FRAGMENT_TOO_BIG));
    }

    @Test
    void ipv6Timeout_after60sTimeExceededCode1QuotingTheFirstFragment() throws IOException {
        byte[] icmp = icmp6(5, data(300));
        byte[] first = fragment6(24, icmp, 0, 104);
        send(first);
        assertEquals(List.of(), at(60 * SECOND - 1));
        List<byte[]> out = at(60 * SECOND);
        assertEquals(Icmpv6Repr.timeExceeded(1, first), icmp6Of(out.getFirst()));
        assertEquals(1, counter("Ip6ReasmTimeout"));
        assertEquals(1, counter("Ip6ReasmFails"));
        assertEquals(1, counter("Icmp6OutTimeExcds"));
    }

    @Test
    void ipv6ReassembledPacketKeepsTheHeadersBeforeTheFragmentHeader() throws IOException {
        byte[] icmp = icmp6(6, data(200));
        byte[] hopByHop = {(byte) Ipv6Packet.NEXT_FRAGMENT, 0, 1, 4, 0, 0, 0, 0};
        List<byte[]> out = new ArrayList<>();
        for (int[] cut : new int[][] {{0, 104}, {104, 208}}) {
            byte[] fragment = fragment6(25, icmp, cut[0], cut[1]);
            byte[] withOptions = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_HOP_BY_HOP, 64,
                    concat(hopByHop, Arrays.copyOfRange(fragment, Ipv6Packet.HEADER_LENGTH, fragment.length)));
            out.addAll(send(withOptions));
        }
        assertEquals(Icmpv6Repr.echoReply(0x66, 6, data(200)), icmp6Of(out.getFirst()));
        assertArrayEquals(new long[] {1, 0}, new long[] {counter("Ip6ReasmOKs"), stack.counters().totalDropped()});
    }
}
