package io.tcpsim.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.link.QueueLink;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever bytes arrive, the input path neither throws nor loses count of them. */
class Ipv4LayerRobustnessProperties {

    @Property(tries = 3000)
    void randomBytesNeverThrowAndAreAlwaysAccountedFor(@ForAll @Size(max = 120) byte[] bytes) throws IOException {
        assertAccountedFor(bytes);
    }

    @Property(tries = 3000)
    void mutatedEchoRequestsNeverThrowAndAreAlwaysAccountedFor(
            @ForAll @Size(min = 1, max = 6) int[] offsets, @ForAll byte value) throws IOException {
        byte[] packet = IpPackets.echoRequest(new byte[24]);
        for (int offset : offsets) {
            packet[Math.floorMod(offset, packet.length)] ^= value;
        }
        assertAccountedFor(packet);
    }

    private static void assertAccountedFor(byte[] bytes) throws IOException {
        QueueLink link = new QueueLink(1500);
        IpCounters counters = new IpCounters();
        try (Arena arena = Arena.ofConfined()) {
            new Ipv4Layer(IpPackets.STACK, link, counters, arena).input(MemorySegment.ofArray(bytes), 0);
        }
        assertEquals(0, counters.dropped(IpDrop.INTERNAL_ERROR), "no exception escaped into the counters");
        long answered = counters.snapshot().get("IcmpInEchos");
        assertEquals(1, counters.totalDropped() + answered, "every packet is either dropped with a reason or answered");
    }
}
