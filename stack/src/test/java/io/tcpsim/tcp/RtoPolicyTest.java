package io.tcpsim.tcp;

import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The two retransmission-timer schedules: Linux's (RFC 6298, doubling) and FreeBSD's
 * (tcp_xmit_timer(), TCP_REXMTVAL, TCPT_RANGESET with rexmit_slop, tcp_backoff[]), worked through
 * on {@link RttEstimator} and the handshake timer.
 */
class RtoPolicyTest {
    private static final long LINUX_MAX = secs(120);
    private static final long BSD_MAX = secs(64);

    @Test
    void linuxHandshakeTimerDoublesTheInitialRtoUpToRtoMax() {
        assertArrayEquals(new long[] {secs(1), secs(2), secs(4), secs(8), secs(16), secs(32), secs(64), secs(120)},
                handshakeSchedule(RtoPolicy.LINUX, LINUX_MAX, 8));
    }

    @Test
    void freebsdHandshakeTimerIsTheInitialRtoTimesTcpBackoffPlusSlopCappedAt64Seconds() {
        assertArrayEquals(new long[] {secs(1), ms(2200), ms(4200), ms(8200), ms(16_200), ms(32_200), secs(64),
                secs(64), secs(64), secs(64), secs(64), secs(64), secs(64), secs(64)},
                handshakeSchedule(RtoPolicy.FREEBSD, BSD_MAX, 14));
    }

    @Test
    void freebsdFirstSampleGivesSrttAndHalfOfItAsRttvarAndTheSlopOnTop() {
        RttEstimator rtt = new RttEstimator(RtoPolicy.FREEBSD, secs(1), BSD_MAX);
        rtt.sample(ms(90));
        assertEquals(ms(90), rtt.srtt());
        assertEquals(ms(45), rtt.rttvar());
        assertEquals(ms(470), rtt.currentRto()); // 90 + 4 * 45 + 200
    }

    @Test
    void freebsdBacksOffTcpRexmtvalByTheTableNotTheTimer() {
        RttEstimator rtt = new RttEstimator(RtoPolicy.FREEBSD, secs(1), BSD_MAX);
        rtt.sample(ms(90));
        long[] want = {ms(470), ms(740), ms(1280), ms(2360), ms(4520), ms(8840), ms(17_480), ms(17_480),
            ms(17_480)};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], rtt.currentRto(), "after " + i + " timeouts");
            rtt.backOff();
        }
        rtt.sample(ms(90));
        assertEquals(0, rtt.backoff(), "a valid sample ends the backoff (Karn)");
    }

    @Test
    void freebsdLaterSamplesSmoothInFixedPointWithRttMinusOne() {
        RttEstimator rtt = new RttEstimator(RtoPolicy.FREEBSD, secs(1), BSD_MAX);
        rtt.sample(ms(90));
        rtt.sample(ms(100));
        assertEquals(91_125_000L, rtt.srtt()); // t_srtt 2880 + ((99 << 2) - 360) = 2916 / 32 ms
        assertEquals(ms(36), rtt.rttvar()); // t_rttvar 720 + (36 - 180) = 576 / 16 ms
        assertEquals(ms(435), rtt.currentRto()); // ((2916 >> 3) + 576) >> 2 = 235, + 200
    }

    @Test
    void freebsdZeroSampleLeavesTheNextAsTheFirstAndTheRtoAtTheMinimumPlusSlop() {
        RttEstimator rtt = new RttEstimator(RtoPolicy.FREEBSD, secs(1), BSD_MAX);
        rtt.sample(ms(0));
        assertEquals(ms(230), rtt.currentRto()); // max(t_rttmin 30 ms, 0) + 200
        rtt.sample(ms(90));
        assertEquals(ms(90), rtt.srtt(), "t_srtt 0 is no measurement (tcp_xmit_timer())");
        assertEquals(ms(470), rtt.currentRto());
    }

    @Test
    void freebsdBacksOffTheInitialRtoBeforeAnySample() {
        RttEstimator rtt = new RttEstimator(RtoPolicy.FREEBSD, secs(1), BSD_MAX);
        rtt.backOff();
        assertEquals(ms(2200), rtt.currentRto());
    }

    @Test
    void onlyLinuxFallsBackToThreeSecondsAfterAHandshakeWithoutSample() {
        assertTrue(RtoPolicy.LINUX.fallsBackAfterHandshake());
        assertFalse(RtoPolicy.FREEBSD.fallsBackAfterHandshake());
        RttEstimator bsd = new RttEstimator(RtoPolicy.FREEBSD, secs(1), BSD_MAX);
        bsd.fallBack();
        assertEquals(secs(1), bsd.currentRto());
        RttEstimator linux = new RttEstimator(RtoPolicy.LINUX, secs(1), LINUX_MAX);
        linux.fallBack();
        assertEquals(secs(3), linux.currentRto());
    }

    private static long[] handshakeSchedule(RtoPolicy policy, long max, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = policy.handshakeTimeout(secs(1), i, max);
        }
        return out;
    }
}
