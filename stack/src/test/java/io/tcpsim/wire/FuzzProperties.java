package io.tcpsim.wire;

import static io.tcpsim.testsupport.Properties.qt;
import static io.tcpsim.wire.WireGenerators.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.quicktheories.generators.SourceDSL.integers;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Hostile input: {@code check} never throws, {@code checked} throws nothing but
 * {@link MalformedPacketException}, a checked view's accessors never fail, and the formatter
 * always returns a line. Inputs are random bytes and valid packets with random bytes overwritten
 * and random cuts (which reach deeper than pure noise).
 */
class FuzzProperties {
    private static final List<byte[]> SEEDS = List.of(Vectors.bytes(Vectors.LINUX_SYN),
            Vectors.bytes(Vectors.IPV6_SYN), Vectors.bytes(Vectors.WHOIS_SYN_ACK_PADDED),
            Vectors.bytes(Vectors.DNS_QUERY));

    @Test
    void ipv4ViewRejectsNoiseOnlyWithMalformed() {
        qt().forAll(bytes(120)).checkAssert(FuzzProperties::assertIpv4ViewConsistent);
    }

    @Test
    void tcpViewRejectsNoiseOnlyWithMalformed() {
        qt().forAll(bytes(80)).checkAssert(FuzzProperties::assertTcpViewConsistent);
    }

    @Test
    void udpViewRejectsNoiseOnlyWithMalformed() {
        qt().forAll(bytes(40)).checkAssert(noise -> {
            MemorySegment seg = MemorySegment.ofArray(noise);
            assertConsistent(UdpPacket.check(seg), () -> UdpPacket.checked(seg), udp -> List.of(udp.srcPort(),
                    udp.dstPort(), udp.length(), udp.checksum(), udp.payload(), udp.verifyChecksum(1, 2)));
        });
    }

    @Test
    void tcpOptionsRejectNoiseOnlyWithMalformed() {
        qt().forAll(bytes(40)).checkAssert(noise -> {
            MemorySegment seg = MemorySegment.ofArray(noise);
            assertConsistent(TcpOptions.check(seg), () -> TcpOptions.parse(seg), options -> options);
        });
    }

    @Test
    void icmpAndIpv6ViewsRejectNoiseOnlyWithMalformed() {
        qt().forAll(bytes(120)).checkAssert(FuzzProperties::assertIcmpAndIpv6ViewsConsistent);
    }

    @Test
    void mutatedPacketsParseOrAreRejectedWithAReason() {
        qt().forAll(mutated()).checkAssert(packet -> {
            PacketParser.Outcome outcome = PacketParser.parse(MemorySegment.ofArray(packet));
            if (outcome instanceof PacketParser.Outcome.Rejected(Malformed reason)) {
                assertNotNull(reason);
            }
        });
    }

    @Test
    void formatterAlwaysReturnsALine() {
        qt().forAll(mutated()).checkAssert(packet -> {
            MemorySegment seg = MemorySegment.ofArray(packet);
            assertNotNull(new TcpdumpFormatter().format(seg));
            assertNotNull(TcpdumpFormatter.absolute(seg));
            assertNotNull(TcpdumpFormatter.quiet(seg));
        });
    }

    @Test
    void ipv6WalkRejectsMutatedChainsOnlyWithMalformed() {
        qt().forAll(mutated()).checkAssert(FuzzProperties::assertIpv6WalkRejectsOnlyWithMalformed);
    }

    /** A seed packet with 1..6 bytes overwritten (often the next-header and length bytes) and maybe cut. */
    private static Gen<byte[]> mutated() {
        Gen<int[]> edits = Generate.intArrays(integers().between(1, 6), integers().between(0, 0xFFFF));
        return Generate.pick(SEEDS).zip(edits, integers().between(0, 100), FuzzProperties::mutate)
                .describedAs(Arrays::toString);
    }

    private static byte[] mutate(byte[] seed, int[] edits, int cut) {
        byte[] packet = seed.clone();
        for (int edit : edits) {
            packet[(edit >>> 8) % packet.length] = (byte) edit;
        }
        return cut < packet.length && cut % 3 == 0 ? Arrays.copyOf(packet, cut) : packet;
    }

    private static void assertIpv4ViewConsistent(byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(Ipv4Packet.check(seg), () -> Ipv4Packet.checked(seg), ip -> List.of(ip.version(), ip.ihl(),
                ip.dscp(), ip.ecn(), ip.identification(), ip.fragmentOffset(), ip.isFragment(), ip.ttl(),
                ip.protocol(), ip.srcAddr(), ip.dstAddr(), ip.verifyChecksum(), ip.options(), ip.payload()));
    }

    private static void assertTcpViewConsistent(byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(TcpPacket.check(seg), () -> TcpPacket.checked(seg), tcp -> List.of(tcp.srcPort(),
                tcp.dstPort(), tcp.seqNumber(), tcp.ackNumber(), tcp.flags(), tcp.window(), tcp.urgentPointer(),
                tcp.verifyChecksum(1, 2), tcp.payload(), TcpOptions.parse(tcp.options())));
    }

    private static void assertIcmpAndIpv6ViewsConsistent(byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertConsistent(Icmpv4Packet.check(seg), () -> Icmpv4Packet.checked(seg),
                icmp -> List.of(icmp.type(), icmp.code(), icmp.identifier(), icmp.data(), icmp.verifyChecksum()));
        assertConsistent(Ipv6Packet.check(seg), () -> Ipv6Packet.checked(seg),
                ip -> List.of(ip.trafficClass(), ip.flowLabel(), ip.nextHeader(), ip.srcAddr(), ip.payload()));
    }

    private static void assertIpv6WalkRejectsOnlyWithMalformed(byte[] packet) {
        MemorySegment seg = MemorySegment.ofArray(packet);
        if (Ipv6Packet.check(seg) == null) {
            try {
                Ipv6ExtensionWalk.walk(Ipv6Packet.checked(seg));
            } catch (MalformedPacketException expected) {
                assertNotNull(expected.reason());
            }
        }
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
