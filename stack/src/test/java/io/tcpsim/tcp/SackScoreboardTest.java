package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sender's scoreboard: merging, the cumulative ACK, IsLost() and the bound on ranges. */
class SackScoreboardTest {
    private static final int SMSS = 1000;
    /** Close to the wrap of the sequence space, so that every comparison is modular. */
    private static final int UNA = -2500;

    private final SackScoreboard board = new SackScoreboard();

    private static int at(int offset) {
        return UNA + offset;
    }

    @Test
    void addReportsOnlyNewlySackedBytesAndMergesTouchingRanges() {
        assertEquals(1000, board.add(at(1000), at(2000)));
        assertEquals(0, board.add(at(1000), at(2000)));
        assertEquals(500, board.add(at(1500), at(2500)));
        assertEquals(1000, board.add(at(3000), at(4000)));
        assertEquals(500, board.add(at(2500), at(3000))); // joins both into 1000-4000
        assertEquals(0, board.unsacked(at(1000), at(4000)));
        assertEquals(2000, board.unsacked(at(0), at(5000)));
        assertEquals(at(4000), board.skipSacked(at(1200)));
        assertEquals(at(800), board.skipSacked(at(800)));
        assertEquals(at(1000), board.holeEnd(at(0), at(9000)));
    }

    @Test
    void cumulativeAckDropsAndCutsRanges() {
        board.add(at(1000), at(2000));
        board.add(at(3000), at(4000));
        board.discardBelow(at(3500));
        assertFalse(board.isSacked(at(1500)));
        assertFalse(board.isSacked(at(3499)));
        assertTrue(board.isSacked(at(3500)));
        assertEquals(500, board.unsacked(at(3500), at(4500)));
    }

    @Test
    void isLostAfterThreeRangesOrMoreThanTwoSmssAbove() {
        board.add(at(1000), at(2000));
        board.add(at(3000), at(4000));
        assertFalse(board.isLost(at(0), at(0), SMSS)); // 2 ranges, 2000 bytes: not more than 2 SMSS
        board.add(at(5000), at(5001));
        assertTrue(board.isLost(at(0), at(0), SMSS)); // 3 ranges
        assertFalse(board.isLost(at(2000), at(0), SMSS)); // 2 ranges, 1001 bytes above
        board.add(at(4000), at(5000)); // now 1000-2000 and 3000-5001
        assertTrue(board.isLost(at(2000), at(0), SMSS)); // 2001 bytes above
        assertEquals(at(3000), board.lostBelow(at(0), SMSS));
    }

    @Test
    void atMostMaxRangesAreKeptTheHighestForgotten() {
        int n = SackScoreboard.MAX_RANGES + 10;
        for (int i = 0; i < n; i++) {
            board.add(at(10 * i + 1), at(10 * i + 2));
        }
        assertTrue(board.isSacked(at(10 * (SackScoreboard.MAX_RANGES - 1) + 1)));
        assertFalse(board.isSacked(at(10 * SackScoreboard.MAX_RANGES + 1)));
    }
}
