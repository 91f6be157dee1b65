package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input: {@code check} never throws, {@code checked} throws nothing but
 * {@link MalformedPacketException}, a checked view's accessors never fail, and the formatter
 * always returns a line. Inputs are random bytes and valid packets with random bytes overwritten
 * and random cuts (which reach deeper than pure noise).
 */
class FuzzProperties {
    private static final List<byte[]> SEEDS = List.of(Vectors.bytes(Vectors.LINUX_SYN),
            Vectors.bytes(Vectors.IPV6_SYN), Vectors.bytes(Vectors.WHOIS_SYN_ACK_PADDED));

    @Property
    void ipv4ViewRejectsNoiseOnlyWithMalformed(@ForAll @Size(max = 120) byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(Ipv4Packet.check(seg), () -> Ipv4Packet.checked(seg), ip -> List.of(ip.version(), ip.ihl(),
                ip.dscp(), ip.ecn(), ip.identification(), ip.fragmentOffset(), ip.isFragment(), ip.ttl(),
                ip.protocol(), ip.srcAddr(), ip.dstAddr(), ip.verifyChecksum(), ip.options(), ip.payload()));
    }

    @Property
    void tcpViewRejectsNoiseOnlyWithMalformed(@ForAll @Size(max = 80) byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(TcpPacket.check(seg), () -> TcpPacket.checked(seg), tcp -> List.of(tcp.srcPort(),
                tcp.dstPort(), tcp.seqNumber(), tcp.ackNumber(), tcp.flags(), tcp.window(), tcp.urgentPointer(),
                tcp.verifyChecksum(1, 2), tcp.payload(), TcpOptions.parse(tcp.options())));
    }

    @Property
    void tcpOptionsRejectNoiseOnlyWithMalformed(@ForAll @Size(max = 40) byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(TcpOptions.check(seg), () -> TcpOptions.parse(seg), options -> options);
    }

    @Property
    void icmpAndIpv6ViewsRejectNoiseOnlyWithMalformed(@ForAll @Size(max = 120) byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(Icmpv4Packet.check(seg), () -> Icmpv4Packet.checked(seg),
                icmp -> List.of(icmp.type(), icmp.code(), icmp.identifier(), icmp.data(), icmp.verifyChecksum()));
        assertConsistent(Ipv6Packet.check(seg), () -> Ipv6Packet.checked(seg),
                ip -> List.of(ip.trafficClass(), ip.flowLabel(), ip.nextHeader(), ip.srcAddr(), ip.payload()));
    }

    @Property
    void mutatedPacketsParseOrAreRejectedWithAReason(@ForAll("mutated") byte[] packet) {
        PacketParser.Outcome outcome = PacketParser.parse(MemorySegment.ofArray(packet));
        if (outcome instanceof PacketParser.Outcome.Rejected(Malformed reason)) {
            assertNotNull(reason);
        }
    }

    @Property
    void formatterAlwaysReturnsALine(@ForAll("mutated") byte[] packet) {
        MemorySegment seg = MemorySegment.ofArray(packet);
        assertNotNull(new TcpdumpFormatter().format(seg));
        assertNotNull(TcpdumpFormatter.absolute(seg));
        assertNotNull(TcpdumpFormatter.quiet(seg));
    }

    @Property
    void ipv6WalkRejectsMutatedChainsOnlyWithMalformed(@ForAll("mutated") byte[] packet) {
        MemorySegment seg = MemorySegment.ofArray(packet);
        if (Ipv6Packet.check(seg) == null) {
            try {
                Ipv6ExtensionWalk.walk(Ipv6Packet.checked(seg));
            } catch (MalformedPacketException expected) {
                assertNotNull(expected.reason());
            }
        }
    }

    /** A seed packet with 1..6 bytes overwritten (often the next-header and length bytes) and maybe cut. */
    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<int[]> edits = Arbitraries.integers().between(0, 0xFFFF).array(int[].class).ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(Arbitraries.of(SEEDS), edits, Arbitraries.integers().between(0, 100))
                .as(Tuple::of).map(t -> mutate(t.get1(), t.get2(), t.get3()));
    }

    private static byte[] mutate(byte[] seed, int[] edits, int cut) {
        byte[] packet = seed.clone();
        for (int edit : edits) {
            packet[(edit >>> 8) % packet.length] = (byte) edit;
        }
        return cut < packet.length && cut % 3 == 0 ? Arrays.copyOf(packet, cut) : packet;
    }

    /** check and checked agree, and a checked view's accessors all succeed. */
    private static <T> void assertConsistent(Malformed problem, Supplier<T> checked, Function<T, Object> accessors) {
        try {
            T view = checked.get();
            assertEquals(null, problem);
            assertNotNull(accessors.apply(view));
        } catch (MalformedPacketException e) {
            assertEquals(problem, e.reason());
        }
    }
}
