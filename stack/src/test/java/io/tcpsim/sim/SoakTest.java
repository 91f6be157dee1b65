package io.tcpsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak in virtual time (docs/robustness.md, Soak): hours of sessions through loss,
 * duplication and reordering, every byte checked, nothing left at the end. CI runs
 * {@link #HOURS} simulated hours; `tcpsim soak --hours 24` runs the full day.
 */
class SoakTest {
    private static final double HOURS = 24;

    @Test
    void hoursOfChurnThroughFaultsLeaveNothingBehind() throws IOException {
        SoakResult r = Soak.run(HOURS, 20_261_121L);
        System.out.print(r.report());
        assertEquals(List.of(), r.failures());
        assertTrue(r.sessions() > HOURS * 3600 / 40, r.sessions() + " sessions");
        assertEquals(r.sessions(), r.completed());
        assertTrue(r.idled() > 0, "sessions idled with keepalive");
        assertTrue(r.dropped() > 0 && r.duplicated() > 0 && r.reordered() > 0, "every fault happened");
        assertEquals(0, r.leakedConnections());
        assertEquals(0, r.leakedListeners());
        assertEquals(0, r.leakedBufferBytes());
        assertTrue(!r.packetsInFlight(), "nothing on the link");
        assertTrue(r.clean());
    }
}
