package io.tcpsim.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.FaultInjector;
import io.tcpsim.link.FaultInjector.Faults;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PairLink;
import io.tcpsim.time.VirtualClock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** {@link PairLink} and {@link FaultInjector} on the virtual clock. */
class LinkSimulationTest {
    private static final long MS = 1_000_000L;
    private final VirtualClock clock = new VirtualClock();
    private final PairLink pair = new PairLink(clock, 1500, 10 * MS);
    private final MemorySegment buf = Arena.ofAuto().allocate(1500);

    private static MemorySegment packet(int n, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) n;
        return MemorySegment.ofArray(b);
    }

    @Test
    void pairLinkDeliversToTheOtherEndAfterTheDelay() throws IOException {
        pair.end(0).transmit(packet(7, 100));
        assertEquals(0, pair.end(1).receive(buf));
        assertEquals(10 * MS, pair.nextDeliveryAt());
        clock.advanceTo(10 * MS);
        assertEquals(100, pair.end(1).receive(buf));
        assertEquals(7, buf.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(0, pair.end(0).receive(buf));
    }

    @Test
    void faultInjectorWithTheSameSeedLosesTheSamePackets() throws IOException {
        assertEquals(lostWithSeed(5), lostWithSeed(5));
        long lost = lostWithSeed(5);
        assertTrue(lost > 50 && lost < 150, () -> lost + " of 1000 at 10 %");
    }

    private long lostWithSeed(long seed) throws IOException {
        PairLink p = new PairLink(clock, 1500, 0);
        FaultInjector f = new FaultInjector(p.end(0), clock, Faults.NONE.withLoss(0.1), seed);
        for (int i = 0; i < 1000; i++) {
            f.transmit(packet(i, 60));
        }
        return f.dropped();
    }

    @Test
    void bottleneckSerialisesPacketsAndDropsTheTailWhenItsQueueIsFull() throws IOException {
        // 1 Mbit/s: a 1250-byte packet takes 10 ms; the queue holds two packets.
        LinkDevice end = pair.end(0);
        FaultInjector f = new FaultInjector(end, clock, new Faults(0, 0, 0, 0, 0, 0, 1_000_000, 2500), 1);
        for (int i = 0; i < 4; i++) {
            f.transmit(packet(i, 1250));
        }
        assertEquals(2, f.dropped());
        assertEquals(10 * MS, f.nextReleaseAt());
        clock.advanceTo(20 * MS);
        f.flush();
        clock.advanceTo(40 * MS);
        int got = 0;
        while (pair.end(1).receive(buf) > 0) {
            got++;
        }
        assertEquals(2, got);
    }

    @Test
    void duplicationDeliversTwoIdenticalCopies() throws IOException {
        FaultInjector f = new FaultInjector(pair.end(0), clock, new Faults(0, 1, 0, 0, 0, 0, 0, 0), 3);
        f.transmit(packet(9, 40));
        clock.advanceTo(10 * MS);
        assertEquals(40, pair.end(1).receive(buf));
        byte[] first = buf.asSlice(0, 40).toArray(ValueLayout.JAVA_BYTE);
        assertEquals(40, pair.end(1).receive(buf));
        assertArrayEquals(first, buf.asSlice(0, 40).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0, pair.end(1).receive(buf));
    }

    @Test
    void corruptionFlipsOneByte() throws IOException {
        FaultInjector f = new FaultInjector(pair.end(0), clock, new Faults(0, 0, 1, 0, 0, 0, 0, 0), 3);
        f.transmit(packet(0, 40));
        clock.advanceTo(10 * MS);
        assertEquals(40, pair.end(1).receive(buf));
        byte[] got = buf.asSlice(0, 40).toArray(ValueLayout.JAVA_BYTE);
        int changed = 0;
        for (byte b : got) {
            changed += b != 0 ? 1 : 0;
        }
        assertEquals(1, changed);
    }

    @Test
    void reorderingLetsALaterPacketOvertake() throws IOException {
        FaultInjector f = new FaultInjector(pair.end(0), clock, new Faults(0, 0, 0, 0.5, 20 * MS, 0, 0, 0), 11);
        for (int i = 0; i < 20; i++) {
            f.transmit(packet(i, 40));
        }
        clock.advanceTo(100 * MS);
        f.flush();
        clock.advanceTo(200 * MS);
        int previous = -1;
        boolean overtaken = false;
        int count = 0;
        while (pair.end(1).receive(buf) > 0) {
            int n = buf.get(ValueLayout.JAVA_BYTE, 0);
            overtaken |= n < previous;
            previous = n;
            count++;
        }
        assertEquals(20, count);
        assertTrue(overtaken);
    }

    @Test
    void inboundFaultsDuplicateWhatTheStackReceivesAndLeaveWhatItSendsAlone() throws IOException {
        FaultInjector f = new FaultInjector(pair.end(0), clock, Faults.NONE, Faults.NONE.withDuplicate(1), 3);
        pair.end(1).transmit(packet(5, 40));
        f.transmit(packet(6, 40));
        clock.advanceTo(10 * MS);
        assertEquals(40, f.receive(buf));
        assertEquals(5, buf.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(40, f.receive(buf));
        assertEquals(5, buf.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(0, f.receive(buf));
        assertEquals(40, pair.end(1).receive(buf));
        assertEquals(0, pair.end(1).receive(buf), "outbound is not duplicated");
        assertEquals(1, f.duplicated());
    }

    @Test
    void inboundReorderingHoldsAReceivedPacketBackUntilItsTime() throws IOException {
        FaultInjector f = new FaultInjector(pair.end(0), clock, Faults.NONE, Faults.NONE.withReorder(0.5, 20 * MS), 11);
        for (int i = 0; i < 20; i++) {
            pair.end(1).transmit(packet(i, 40));
        }
        clock.advanceTo(10 * MS);
        int previous = -1;
        boolean overtaken = false;
        int count = 0;
        for (long t = 10 * MS; t <= 40 * MS; t += MS) {
            clock.advanceTo(t);
            while (f.receive(buf) > 0) {
                int n = buf.get(ValueLayout.JAVA_BYTE, 0);
                overtaken |= n < previous;
                previous = n;
                count++;
            }
        }
        assertEquals(20, count);
        assertTrue(overtaken);
        assertTrue(f.reordered() > 0);
    }

    @Test
    void inboundLossIsSeededAndCountedWithOutbound() throws IOException {
        assertEquals(inboundLostWithSeed(8), inboundLostWithSeed(8));
        long lost = inboundLostWithSeed(8);
        assertTrue(lost > 50 && lost < 150, () -> lost + " of 1000 at 10 %");
    }

    private long inboundLostWithSeed(long seed) throws IOException {
        PairLink p = new PairLink(clock, 1500, 0);
        FaultInjector f = new FaultInjector(p.end(0), clock, Faults.NONE, Faults.NONE.withLoss(0.1), seed);
        int received = 0;
        for (int i = 0; i < 1000; i++) {
            p.end(1).transmit(packet(i, 60));
            received += f.receive(buf) > 0 ? 1 : 0;
        }
        assertEquals(1000 - f.dropped(), received);
        return f.dropped();
    }

    @Test
    void aSleepEndsWhenAHeldPacketIsDueAndAWakeUpReachesTheInnerDevice() throws IOException {
        RecordingLink inner = new RecordingLink();
        FaultInjector f = new FaultInjector(inner, clock, new Faults(0, 0, 0, 0, 0, 5 * MS, 0, 0), 1);
        f.awaitReceivable(50 * MS);
        assertEquals(50 * MS, inner.lastWait, "nothing held: the whole timeout");
        f.transmit(packet(1, 40));
        f.awaitReceivable(50 * MS);
        assertEquals(5 * MS, inner.lastWait, "until the held packet is due");
        f.wakeUp();
        assertEquals(1, inner.wakeUps);
    }

    /** A link that only records how it is waited on and woken. */
    private static final class RecordingLink implements LinkDevice {
        long lastWait = -1;
        int wakeUps;

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public int receive(MemorySegment buffer) {
            return 0;
        }

        @Override
        public void transmit(MemorySegment packet) {
        }

        @Override
        public boolean awaitReceivable(long timeoutNanos) {
            lastWait = timeoutNanos;
            return false;
        }

        @Override
        public void wakeUp() {
            wakeUps++;
        }

        @Override
        public void close() {
        }
    }
}
