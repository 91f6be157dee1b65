package io.tcpsim.tcp;

import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** RFC 6298 §2-§5 worked through on {@link RttEstimator}, with Linux's 200 ms floor and 120 s cap. */
class RttEstimatorTest {
    private final RttEstimator rtt = new RttEstimator(RtoPolicy.LINUX, secs(1), secs(120));

    @Test
    void noSampleGivesTheInitialRtoOfOneSecond() {
        assertFalse(rtt.measured());
        assertEquals(secs(1), rtt.currentRto());
    }

    @Test
    void firstSampleSetsSrttToRAndRttvarToHalfR() {
        rtt.sample(ms(100));
        assertEquals(ms(100), rtt.srtt());
        assertEquals(ms(50), rtt.rttvar());
        assertEquals(ms(300), rtt.currentRto()); // 100 + max(4 * 50, 200)
    }

    @Test
    void laterSamplesSmoothWithAlphaOneEighthAndBetaOneQuarter() {
        rtt.sample(ms(100));
        rtt.sample(ms(200));
        assertEquals(62_500_000L, rtt.rttvar()); // 3/4 * 50 + 1/4 * |100 - 200|
        assertEquals(112_500_000L, rtt.srtt()); // 7/8 * 100 + 1/8 * 200
        assertEquals(362_500_000L, rtt.currentRto());
    }

    @Test
    void smallRttIsFlooredAtLinuxRtoMinOf200MsAboveSrtt() {
        rtt.sample(ms(1));
        assertEquals(ms(1) + ms(200), rtt.currentRto());
    }

    @Test
    void backoffDoublesUpToRtoMaxAndAValidSampleEndsIt() {
        for (int i = 0; i < 10; i++) {
            rtt.backOff();
        }
        assertEquals(secs(120), rtt.currentRto());
        rtt.sample(ms(100));
        assertEquals(0, rtt.backoff());
        assertEquals(ms(300), rtt.currentRto());
    }

    @Test
    void karnRetransmissionVoidsTheTimedSegment() {
        rtt.startTiming(100, 0);
        rtt.cancelTiming();
        rtt.onAck(100, ms(50));
        assertFalse(rtt.measured());
    }

    @Test
    void onlyOneSegmentIsTimedAtOnceAndItsAckGivesTheSample() {
        rtt.startTiming(100, 0);
        rtt.startTiming(200, ms(10));
        rtt.onAck(99, ms(40));
        assertFalse(rtt.measured());
        rtt.onAck(150, ms(80));
        assertEquals(ms(80), rtt.srtt());
    }

    @Test
    void timingAcrossTheSequenceWrapCompletes() {
        rtt.startTiming(5, 0);
        rtt.onAck(-10, ms(10));
        assertFalse(rtt.measured());
        rtt.onAck(6, ms(20));
        assertEquals(ms(20), rtt.srtt());
    }
}
