package io.tcpsim.ip;

import static io.tcpsim.testsupport.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;

import io.tcpsim.link.QueueLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Whatever bytes arrive, the input path neither throws nor loses count of them (a fragment is counted IpReasmReqds). */
class Ipv4LayerRobustnessProperties {
    private static final int EXAMPLES = 3000;

    @Test
    void randomBytesNeverThrowAndAreAlwaysAccountedFor() {
        qt().withExamples(EXAMPLES).forAll(Generate.byteArrays(integers().between(0, 120), anyByte()))
                .checkAssert(Ipv4LayerRobustnessProperties::assertAccountedFor);
    }

    @Test
    void mutatedEchoRequestsNeverThrowAndAreAlwaysAccountedFor() {
        Gen<int[]> offsets = Generate.intArrays(integers().between(1, 6), integers().all());
        qt().withExamples(EXAMPLES).forAll(offsets, anyByte())
                .checkAssert(Ipv4LayerRobustnessProperties::assertMutatedEchoRequestAccountedFor);
    }

    private static Gen<Byte> anyByte() {
        return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    }

    private static void assertMutatedEchoRequestAccountedFor(int[] offsets, byte value) {
        byte[] packet = IpPackets.echoRequest(new byte[24]);
        for (int offset : offsets) {
            packet[Math.floorMod(offset, packet.length)] ^= value;
        }
        assertAccountedFor(packet);
    }

    private static void assertAccountedFor(byte[] bytes) {
        QueueLink link = new QueueLink(1500);
        IpCounters counters = new IpCounters();
        try (Arena arena = Arena.ofConfined()) {
            new Ipv4Layer(IpPackets.STACK, link, counters, arena).input(MemorySegment.ofArray(bytes), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(0, counters.dropped(IpDrop.INTERNAL_ERROR), "no exception escaped into the counters");
        long answered = counters.snapshot().get("IcmpInEchos");
        long queued = counters.reassembly4().required() == 1 && counters.totalDropped() == 0 ? 1 : 0;
        assertEquals(1, counters.totalDropped() + answered + queued,
                "every packet is either dropped with a reason, answered or queued for reassembly");
    }
}
