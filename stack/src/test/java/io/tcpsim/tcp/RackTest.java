package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/**
 * RACK's reordering window (RFC 8985 §6.2 step 4, Linux tcp_rack_reo_wnd() and
 * tcp_rack_update_reo_wnd()), its reordering detection and its RTT bookkeeping, on a TCB whose
 * scoreboard holds ten segments sent at 0, with SRTT and min_RTT 100 ms.
 */
class RackTest {
    private static final long MS = 1_000_000L;
    private static final int SEG = 1000;

    private final Tcb tcb = new Tcb(new FourTuple(1, 2, 3, 4), TcpConfig.linuxDefaults(1500), SocketOptions.DEFAULT,
            0, 0, TcpRepr.reusable());
    private final Rack rack = tcb.rack;
    private final SackScoreboard board = tcb.scoreboard;

    RackTest() {
        for (int k = 0; k < 10; k++) {
            board.appended(SEG * k, SEG * (k + 1), 0);
        }
        tcb.rtt.sample(100 * MS);
    }

    /** One ACK at {@code now} SACKing segment {@code k}, then the window's update. */
    private void sack(int k, long now) {
        rack.beginAck(now, tcb.rtt.minRtt());
        rack.bySack(true);
        board.sack(SEG * k, SEG * (k + 1), rack);
        rack.updateReoWnd(board.delivered());
    }

    /** Segment 5 SACKed, then segment 1, below it and never sent again, at 110 ms: reordering. */
    private void reorder() {
        sack(5, 100 * MS);
        int fack = board.highestSacked(0);
        rack.beginAck(110 * MS, tcb.rtt.minRtt());
        rack.bySack(true);
        board.sack(SEG, 2 * SEG, rack);
        assertTrue(rack.checkReordering(true, fack, SEG));
    }

    @Test
    void theWindowIsAQuarterOfMinRttUntilDupThreshSegmentsAreSackedThenZero() {
        sack(5, 100 * MS);
        assertEquals(25 * MS, rack.reoWnd(tcb));
        sack(6, 100 * MS);
        sack(7, 100 * MS);
        assertEquals(0, rack.reoWnd(tcb)); // Linux: sacked_out >= tp->reordering, no reordering seen
    }

    @Test
    void inRecoveryWithoutReorderingSeenTheWindowIsZero() {
        sack(5, 100 * MS);
        tcb.inRecovery = true;
        assertEquals(0, rack.reoWnd(tcb));
    }

    @Test
    void reorderingSeenKeepsTheWindowEvenInRecoveryAndGrowsDupThresh() {
        reorder();
        tcb.inRecovery = true;
        assertEquals(25 * MS, rack.reoWnd(tcb));
        assertEquals(5, rack.reordering()); // from segment 1 to the end of the highest SACK, in segments
    }

    @Test
    void aDsackAfterReorderingWidensTheWindowOnceARoundTripAndSixteenRecoveriesNarrowIt() {
        reorder();
        board.appended(10 * SEG, 11 * SEG, 120 * MS); // both sent after 2 segments were delivered
        board.appended(11 * SEG, 12 * SEG, 120 * MS);
        rack.onDuplicateSack(false);
        sack(10, 230 * MS);
        assertEquals(50 * MS, rack.reoWnd(tcb)); // min_RTT / 4 * 2
        rack.onDuplicateSack(false);
        sack(11, 231 * MS); // sent before the window changed: the same round trip
        assertEquals(50 * MS, rack.reoWnd(tcb));
        board.appended(12 * SEG, 13 * SEG, 240 * MS);
        for (int i = 0; i < Rack.RECOVERY_THRESH - 1; i++) {
            rack.onRecoveryEnd();
        }
        sack(12, 340 * MS);
        assertEquals(50 * MS, rack.reoWnd(tcb)); // kept for 16 recoveries
        rack.onRecoveryEnd();
        board.appended(13 * SEG, 14 * SEG, 340 * MS);
        sack(13, 440 * MS);
        assertEquals(25 * MS, rack.reoWnd(tcb));
    }

    @Test
    void theDsackOfATailLossProbeDoesNotWidenTheWindow() {
        reorder();
        rack.onDuplicateSack(true);
        board.appended(10 * SEG, 11 * SEG, 120 * MS);
        sack(10, 230 * MS);
        assertEquals(25 * MS, rack.reoWnd(tcb));
    }

    @Test
    void aDsackWithoutReorderingSeenDoesNotWidenTheWindow() {
        rack.onDuplicateSack(false);
        sack(9, 200 * MS);
        board.appended(10 * SEG, 11 * SEG, 200 * MS); // sent after a segment was delivered
        sack(10, 300 * MS);
        assertEquals(25 * MS, rack.reoWnd(tcb));
    }

    @Test
    void theWindowFollowsMinRttNotSrtt() {
        tcb.rtt.sample(4 * MS); // min_RTT 4 ms, SRTT 88 ms
        assertEquals(1 * MS, rack.reoWnd(tcb));
    }

    @Test
    void aRetransmissionDeliveredSoonerThanMinRttAfterItWasSentMovesNothing() {
        board.retransmitted(0, SEG, 90 * MS);
        rack.beginAck(100 * MS, tcb.rtt.minRtt());
        rack.bySack(false);
        board.acknowledge(SEG, rack); // 10 ms after it was sent again: the original's ACK (Linux)
        assertEquals(-100 * MS, rack.remaining(0, 0, 100 * MS)); // RACK.rtt still 0
        sack(2, 100 * MS); // an original: RACK.rtt 100 ms
        assertEquals(0, rack.remaining(0, 0, 100 * MS));
        assertEquals(100 * MS, rack.sackRttSample());
    }

    @Test
    void sentAfterBreaksTiesBySequence() {
        assertTrue(Rack.sentAfter(5, 100, 4, 200));
        assertTrue(Rack.sentAfter(5, 200, 5, 100));
        assertFalse(Rack.sentAfter(5, 100, 5, 100));
        assertFalse(Rack.sentAfter(4, 300, 5, 100));
    }
}
