package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The window-scale clamp's log line is rate limited as Linux's net_info_ratelimited(). */
class IllegalWindowScaleTest {
    private static final FourTuple TUPLE = new FourTuple(0x0A00_0002, 80, 0x0A00_0001, 40_000);

    @Test
    void atMostABurstPerIntervalThenLoggedAgain() {
        long start = 1_000 * IllegalWindowScale.INTERVAL_NANOS; // a fresh interval whatever ran before
        int logged = 0;
        for (int i = 0; i < 3 * IllegalWindowScale.BURST; i++) {
            logged += IllegalWindowScale.log(TUPLE, 15, start + i) ? 1 : 0;
        }
        assertEquals(IllegalWindowScale.BURST, logged);
        assertEquals(true, IllegalWindowScale.log(TUPLE, 15, start + IllegalWindowScale.INTERVAL_NANOS));
    }
}
