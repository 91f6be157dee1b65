package io.tcpsim.ip;

import static io.tcpsim.ip.Ipv6Packets.KERNEL6;
import static io.tcpsim.ip.Ipv6Packets.STACK6;
import static io.tcpsim.ip.Ipv6Packets.concat;
import static io.tcpsim.ip.Ipv6Packets.icmp;
import static io.tcpsim.ip.Ipv6Packets.icmpBytes;
import static io.tcpsim.ip.Ipv6Packets.options8;
import static io.tcpsim.ip.Ipv6Packets.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.QueueLink;
import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Icmpv6Repr;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv6Packet;
import io.tcpsim.wire.Ipv6Repr;
import io.tcpsim.wire.Malformed;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** IPv6 input through the whole stack on a {@link QueueLink}: echo, extension headers, errors, drops. */
class Ipv6LayerTest {
    private static final int SCTP = 132;
    private static final byte[] ECHO = icmpBytes(KERNEL6, STACK6, Icmpv6Repr.echoRequest(0x77, 3, "hello".getBytes()));

    private final QueueLink link = new QueueLink(1500);
    private final NetStack stack = new NetStack(link,
            StackConfig.linuxDefaults(Ipv4Address.parse("10.0.0.2"), 1500).withAddress6(STACK6));

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
    void echoRequestIsAnsweredFromOurAddressWithAValidChecksum() throws IOException {
        List<byte[]> out = send(icmp(KERNEL6, STACK6, Icmpv6Repr.echoRequest(0x77, 3, "hello".getBytes())));
        assertEquals(1, out.size());
        Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertEquals(new Ipv6Repr(STACK6.bytes(), KERNEL6.bytes(), Icmpv6Packet.NEXT_HEADER, 64, 13, 0, 0),
                Ipv6Repr.parse(ip));
        assertEquals(Icmpv6Repr.echoReply(0x77, 3, "hello".getBytes()),
                Icmpv6Repr.parse(Icmpv6Packet.checked(ip.payload()), ip.srcAddr(), ip.dstAddr()));
        assertEquals(1L, stack.counters().snapshot().get("Icmp6InEchos"));
        assertEquals(1L, stack.counters().snapshot().get("Icmp6OutEchoReplies"));
    }

    @Test
    void neighborSolicitationRouterSolicitationAndMldAreDroppedQuietly() throws IOException {
        IpAddress solicited = IpAddress.parse("ff02::1:ff00:2");
        IpAddress allRouters = IpAddress.parse("ff02::2");
        IpAddress mldRouters = IpAddress.parse("ff02::16");
        assertEquals(List.of(), send(icmp(KERNEL6, solicited, new Icmpv6Repr(135, 0, 0, STACK6.bytes()))));
        assertEquals(List.of(), send(icmp(KERNEL6, allRouters, new Icmpv6Repr(133, 0, 0, new byte[0]))));
        assertEquals(List.of(), send(icmp(KERNEL6, mldRouters, new Icmpv6Repr(143, 0, 1, new byte[20]))));
        assertEquals(3, stack.counters().dropped(IpDrop.IPV6_LINK_SIGNALLING));
    }

    @Test
    void unknownNextHeaderGetsAParameterProblemPointingAtTheField() throws IOException {
        byte[] invoking = packet(KERNEL6, STACK6, SCTP, 64, new byte[12]);
        Icmpv6Repr problem = onlyIcmp(send(invoking));
        assertEquals(Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_UNRECOGNIZED_NEXT_HEADER, 6, invoking), problem);
        assertEquals(1, stack.counters().dropped(IpDrop.UNKNOWN_PROTOCOL));
        assertEquals(1L, stack.counters().snapshot().get("Icmp6OutParmProblems"));
    }

    @Test
    void unknownNextHeaderAfterDestinationOptionsPointsIntoThatHeader() throws IOException {
        byte[] invoking = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(SCTP, 1, 4, 0, 0, 0, 0), new byte[8]));
        Icmpv6Repr problem = onlyIcmp(send(invoking));
        assertEquals(Icmpv6Packet.TYPE_PARAMETER_PROBLEM, problem.type());
        assertEquals(Icmpv6Repr.CODE_UNRECOGNIZED_NEXT_HEADER, problem.code());
        assertEquals(40, problem.restOfHeader());
    }

    @Test
    void hopByHopPadNAndDestinationOptionsAreWalkedToAnEchoRequest() throws IOException {
        byte[] headers = concat(options8(Ipv6Packet.NEXT_DESTINATION_OPTIONS, 1, 4, 0, 0, 0, 0),
                options8(Icmpv6Packet.NEXT_HEADER, 0, 0, 0, 0, 0, 0), ECHO);
        List<byte[]> out = send(packet(KERNEL6, STACK6, Ipv6Packet.NEXT_HOP_BY_HOP, 64, headers));
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, onlyIcmp(out).type());
    }

    @Test
    void unknownOptionActsByItsHighBits() throws IOException {
        byte[] skip = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(Icmpv6Packet.NEXT_HEADER, 0x3e, 4, 0, 0, 0, 0), ECHO));
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, onlyIcmp(send(skip)).type());
        byte[] discard = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(Icmpv6Packet.NEXT_HEADER, 0x7e, 4, 0, 0, 0, 0), ECHO));
        assertEquals(List.of(), send(discard));
        byte[] answer = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(Icmpv6Packet.NEXT_HEADER, 1, 0, 0xbe, 2, 0, 0), ECHO));
        Icmpv6Repr problem = onlyIcmp(send(answer));
        assertEquals(Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_UNRECOGNIZED_OPTION, 44, answer), problem);
        assertEquals(2, stack.counters().dropped(IpDrop.IPV6_UNKNOWN_OPTION));
    }

    @Test
    void hopByHopAfterAnotherHeaderIsAnUnrecognizedNextHeader() throws IOException {
        byte[] invoking = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(Ipv6Packet.NEXT_HOP_BY_HOP), options8(Icmpv6Packet.NEXT_HEADER), ECHO));
        assertEquals(Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_UNRECOGNIZED_NEXT_HEADER, 40, invoking),
                onlyIcmp(send(invoking)));
    }

    @Test
    void routingHeaderIsIgnoredWithNoSegmentsLeftElseAProblemAtItsType() throws IOException {
        byte[] done = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_ROUTING, 64,
                concat(new byte[] {(byte) Icmpv6Packet.NEXT_HEADER, 0, 0, 0, 0, 0, 0, 0}, ECHO));
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, onlyIcmp(send(done)).type());
        byte[] route = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_ROUTING, 64,
                concat(new byte[] {(byte) Icmpv6Packet.NEXT_HEADER, 0, 0, 1, 0, 0, 0, 0}, ECHO));
        assertEquals(Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_ERRONEOUS_HEADER, 42, route), onlyIcmp(send(route)));
        assertEquals(1, stack.counters().dropped(IpDrop.IPV6_ROUTING_HEADER));
    }

    @Test
    void fragmentsAreQueuedForReassemblyButAnAtomicFragmentIsWalked() throws IOException {
        byte[] first = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_FRAGMENT, 64,
                concat(new byte[] {(byte) Icmpv6Packet.NEXT_HEADER, 0, 0, 1, 0, 0, 0, 9}, Arrays.copyOf(ECHO, 16)));
        assertEquals(List.of(), send(first));
        assertEquals(1, stack.counters().reassembly6().required());
        assertEquals(0, stack.counters().totalDropped());
        byte[] atomic = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_FRAGMENT, 64,
                concat(new byte[] {(byte) Icmpv6Packet.NEXT_HEADER, 0, 0, 0, 0, 0, 0, 9}, ECHO));
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, onlyIcmp(send(atomic)).type());
    }

    @Test
    void badPacketsAreCountedUnderTheirReasons() throws IOException {
        assertEquals(List.of(), send(Arrays.copyOf(icmp(KERNEL6, STACK6, Icmpv6Repr.echoRequest(1, 1, new byte[0])), 30)));
        assertEquals(1, stack.counters().malformed(Malformed.TRUNCATED));
        byte[] corrupt = icmp(KERNEL6, STACK6, Icmpv6Repr.echoRequest(1, 1, new byte[4]));
        corrupt[corrupt.length - 1] ^= 1;
        assertEquals(List.of(), send(corrupt));
        assertEquals(1, stack.counters().malformed(Malformed.ICMPV6_BAD_CHECKSUM));
        byte[] shortHeader = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64, new byte[4]);
        assertEquals(List.of(), send(shortHeader));
        assertEquals(1, stack.counters().malformed(Malformed.IPV6_EXT_HEADER_TRUNCATED));
        assertEquals(List.of(), send(icmp(KERNEL6, IpAddress.parse("fd00::9"), Icmpv6Repr.echoRequest(1, 1, new byte[0]))));
        assertEquals(1, stack.counters().dropped(IpDrop.NOT_OUR_ADDRESS));
        assertEquals(List.of(), send(packet(KERNEL6, STACK6, Icmpv6Packet.NEXT_HEADER, 0, ECHO)));
        assertEquals(1, stack.counters().dropped(IpDrop.HOP_LIMIT_ZERO));
        assertEquals(List.of(), send(packet(KERNEL6, STACK6, Ipv6Packet.NEXT_NONE, 64, new byte[8])));
        assertEquals(1, stack.counters().dropped(IpDrop.IPV6_NO_NEXT_HEADER));
    }

    /** RFC 4443 §2.4 (e): no error about an error, none for a packet to multicast. */
    @Test
    void noErrorAboutAnErrorNorAboutAMulticastPacket() throws IOException {
        byte[] quoted = packet(STACK6, KERNEL6, 6, 64, new byte[20]);
        byte[] error = icmpBytes(KERNEL6, STACK6, Icmpv6Repr.destinationUnreachable(4, quoted));
        byte[] errorBehindUnknownOption = packet(KERNEL6, STACK6, Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(Icmpv6Packet.NEXT_HEADER, 0xbe, 4, 0, 0, 0, 0), error));
        assertEquals(List.of(), send(errorBehindUnknownOption));
        assertEquals(1L, stack.counters().snapshot().get("Icmp6OutErrorsSuppressed"));
        byte[] toAllNodes = packet(KERNEL6, IpAddress.parse("ff02::1"), Ipv6Packet.NEXT_DESTINATION_OPTIONS, 64,
                concat(options8(Icmpv6Packet.NEXT_HEADER, 0xfe, 4, 0, 0, 0, 0), ECHO));
        assertEquals(List.of(), send(toAllNodes), "option type 11xxxxxx: no problem reported to multicast");
        byte[] unknownToAllNodes = packet(KERNEL6, IpAddress.parse("ff02::1"), Ipv6Packet.NEXT_DESTINATION_OPTIONS,
                64, concat(options8(Icmpv6Packet.NEXT_HEADER, 0xbe, 4, 0, 0, 0, 0), ECHO));
        assertEquals(Icmpv6Packet.TYPE_PARAMETER_PROBLEM, onlyIcmp(send(unknownToAllNodes)).type(),
                "RFC 4443 §2.4 (e.3): option type 10xxxxxx is reported even to multicast");
    }

    @Test
    void aStackWithoutIpv6CountsIpv6AsNotConfigured() throws IOException {
        QueueLink v4Link = new QueueLink(1500);
        try (NetStack v4Only = new NetStack(v4Link, StackConfig.linuxDefaults(Ipv4Address.parse("10.0.0.2"), 1500))) {
            v4Link.inject(icmp(KERNEL6, STACK6, Icmpv6Repr.echoRequest(1, 1, new byte[0])));
            v4Only.poll(0);
            assertEquals(List.of(), v4Link.drain());
            assertEquals(1, v4Only.counters().dropped(IpDrop.IPV6_NOT_CONFIGURED));
        }
    }

    private static Icmpv6Repr onlyIcmp(List<byte[]> out) {
        assertEquals(1, out.size());
        Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(out.getFirst()));
        assertArrayEquals(STACK6.bytes(), ip.srcAddr().toArray(ValueLayout.JAVA_BYTE));
        return Icmpv6Repr.parse(Icmpv6Packet.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
    }
}
