package io.tcpsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The goodput grid of docs/simulation.md, cell for cell as {@code tcpsim simulate --grid} runs it:
 * every cell delivers every byte once and in order (the simulation checks each byte and then
 * end-of-stream), never stalls, and ends within its stated bound of virtual time; with SACK (and
 * so RACK-TLP and PRR, as Linux) no cell times out more often than the same cell with NewReno,
 * and without random loss Reno with SACK is not slower than without. Virtual time is
 * deterministic, so comparing two cells' goodput is no real-time measurement.
 */
class GoodputGridTest {
    private static final long BYTES = 8L << 20;
    private static List<SimulationResult> results;

    @BeforeAll
    static void runTheGrid() {
        results = GoodputGrid.scenarios(BYTES, 1).parallelStream().map(GoodputGridTest::run).toList();
    }

    @Test
    void everyCellDeliversEveryByteWithinItsBound() {
        assertEquals(60, results.size());
        for (SimulationResult r : results) {
            Scenario s = r.scenario();
            assertTrue(r.finished(), () -> "unfinished: " + r);
            assertEquals(BYTES, r.delivered(), () -> s.toString());
            assertTrue(r.transferNanos() <= GoodputGrid.boundNanos(s), () -> "over its bound: " + r);
            if (s.loss() > 0) {
                assertTrue(r.retransmissions() > 0 && r.dropped() > 0, () -> "nothing was lost: " + r);
            }
        }
    }

    @Test
    void withSackNoCellTimesOutMoreOftenThanWithoutAndTheGridTimesOutLess() {
        long with = 0;
        long without = 0;
        for (SimulationResult r : results) {
            Scenario s = r.scenario();
            if (s.sack()) {
                SimulationResult newReno = cell(s.loss(), s.rttMillis(), s.congestionControl(), false);
                assertTrue(r.timeouts() <= newReno.timeouts(), () -> r + " against " + newReno);
                with += r.timeouts();
                without += newReno.timeouts();
            }
        }
        assertTrue(with < without, "timeouts with SACK " + with + ", without " + without);
    }

    @ParameterizedTest(name = "RTT {0} ms")
    @ValueSource(ints = {1, 20})
    void withoutLossRenoWithSackIsNotSlowerThanWithoutAndNeedsNoTimeout(int rtt) {
        SimulationResult sack = cell(0, rtt, "reno", true);
        SimulationResult newReno = cell(0, rtt, "reno", false);
        // The slow-start overshoot drops hundreds of segments: RACK finds the retransmissions lost
        // again in the still-full queue (RFC 6675 alone waited for the RTO), and NewReno repairs one
        // hole per round trip.
        assertTrue(sack.goodputBps() >= newReno.goodputBps(), () -> sack + " against " + newReno);
        assertEquals(0, sack.timeouts(), sack::toString);
    }

    @Test
    void theSameSeedGivesTheSameRun() throws IOException {
        Scenario s = new Scenario(0.05, 20, "cubic", true, 1 << 20, GoodputGrid.BOTTLENECK_BPS, 7);
        assertEquals(TwoStackSimulation.run(s, GoodputGrid.boundNanos(s)),
                TwoStackSimulation.run(s, GoodputGrid.boundNanos(s)));
    }

    @Test
    void withoutLossCubicLeavesSlowStartBeforeTheQueueOverflows() throws IOException {
        Scenario s = new Scenario(0, 20, "cubic", false, BYTES, GoodputGrid.BOTTLENECK_BPS, 1);
        SimulationResult r = TwoStackSimulation.run(s, GoodputGrid.boundNanos(s));
        assertEquals(0, r.retransmissions(), "HyStart ends slow start before drops");
        assertTrue(r.goodputBps() > 0.75 * GoodputGrid.BOTTLENECK_BPS, () -> r.goodputBps() + " bit/s");
    }

    @Test
    void theModelsGiveTheirKnownValues() {
        // MSS 1460 B, RTT 20 ms, 1 % loss: 1460 * 8 / 0.02 * sqrt(1.5) / 0.1 = 7.15 Mbit/s.
        assertEquals(7.153e6, ThroughputModels.mathisBps(1460, 0.02, 0.01), 1e3);
        assertTrue(ThroughputModels.padhyeBps(1460, 0.02, 0.01) < ThroughputModels.mathisBps(1460, 0.02, 0.01));
        assertEquals(Double.POSITIVE_INFINITY, ThroughputModels.mathisBps(1460, 0.02, 0));
    }

    private static SimulationResult cell(double loss, int rtt, String cc, boolean sack) {
        return results.stream().filter(r -> r.scenario().loss() == loss && r.scenario().rttMillis() == rtt
                && r.scenario().congestionControl().equals(cc) && r.scenario().sack() == sack).findFirst().orElseThrow();
    }

    private static SimulationResult run(Scenario s) {
        try {
            return TwoStackSimulation.run(s, GoodputGrid.boundNanos(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
