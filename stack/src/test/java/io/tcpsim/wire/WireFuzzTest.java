package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpsim.testsupport.FuzzRuns;
import java.lang.foreign.MemorySegment;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer on the wire parsers (docs/robustness.md, Fuzzing): whatever the bytes, each parser
 * either accepts them or rejects them with a {@link MalformedPacketException} naming a reason,
 * {@code check} agrees with {@code checked}, an accepted view's accessors never fail, and the
 * tcpdump formatter always returns a line. Seeds: WireFuzzTestInputs/ (captured packets).
 */
class WireFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns("WireFuzzTest");

    @AfterAll
    static void report() {
        RUNS.assertFuzzed();
    }

    @FuzzTest(maxDuration = "10s")
    void packet(byte[] bytes) {
        RUNS.count();
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (PacketParser.parse(seg) instanceof PacketParser.Outcome.Rejected(Malformed reason)) {
            assertNotNull(reason);
        }
        assertNotNull(new TcpdumpFormatter().format(seg));
        assertNotNull(TcpdumpFormatter.quiet(seg));
        viewsAgree(seg);
        quoteParses(seg);
    }

    private static void viewsAgree(MemorySegment seg) {
        agree(Ipv4Packet.check(seg), () -> Ipv4Packet.checked(seg), ip -> ip.payload().byteSize() + ip.ttl());
        agree(TcpPacket.check(seg), () -> TcpPacket.checked(seg),
                tcp -> TcpOptions.parse(tcp.options()).size() + tcp.payload().byteSize());
        agree(TcpOptions.check(seg), () -> TcpOptions.parse(seg), options -> options);
        agree(UdpPacket.check(seg), () -> UdpPacket.checked(seg), udp -> udp.payload().byteSize());
        agree(Icmpv4Packet.check(seg), () -> Icmpv4Packet.checked(seg), icmp -> icmp.data().byteSize());
        agree(Ipv6Packet.check(seg), () -> Ipv6Packet.checked(seg), ip -> ip.payload().byteSize());
    }

    private static void quoteParses(MemorySegment seg) {
        try {
            assertNotNull(Icmpv4Quote.parse(seg));
        } catch (MalformedPacketException e) {
            assertNotNull(e.reason());
        }
    }

    private static <T> void agree(Malformed problem, Supplier<T> checked, Function<T, Object> accessors) {
        try {
            T view = checked.get();
            assertEquals(null, problem, "check found a problem that checked accepted");
            assertNotNull(accessors.apply(view));
        } catch (MalformedPacketException e) {
            assertEquals(problem, e.reason(), "check and checked disagree");
        }
    }
}
