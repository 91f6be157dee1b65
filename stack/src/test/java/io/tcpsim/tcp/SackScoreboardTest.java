package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sender's scoreboard, per segment sent: SACK blocks marking whole segments only, the
 * cumulative ACK, lost and retransmitted marks and the bytes in flight they give (Linux
 * tcp_packets_in_flight()), splitting, and growth.
 */
class SackScoreboardTest {
    private static final int SEG = 1000;
    /** Close to the wrap of the sequence space, so that every comparison is modular. */
    private static final int UNA = -2500;

    private final SackScoreboard board = new SackScoreboard();
    private final List<String> delivered = new ArrayList<>();
    private final SackScoreboard.Delivery record = (start, end, marks, sentAt, deliveredAt) ->
            delivered.add((start - UNA) / SEG + "@" + sentAt + (marks != 0 ? "/" + marks : ""));

    SackScoreboardTest() {
        for (int k = 0; k < 6; k++) {
            board.appended(at(k), at(k + 1), k);
        }
    }

    /** Our sequence number of segment {@code k}'s first byte. */
    private static int at(int k) {
        return UNA + SEG * k;
    }

    @Test
    void sackMarksOnlyTheSegmentsItCoversWholeAndPipeLeavesThemOut() {
        assertEquals(6 * SEG, board.pipe());
        assertEquals(SEG, board.sack(at(1) + 500, at(3), record)); // segment 1 half covered: not SACKed
        assertEquals(List.of("2@2"), delivered);
        assertEquals(0, board.sack(at(2), at(3), record)); // already SACKed: no news
        assertEquals(2 * SEG, board.sack(at(3), at(5), record));
        assertEquals(3, board.sackedSegments());
        assertEquals(at(5), board.highestSacked(UNA));
        assertEquals(3 * SEG, board.pipe());
        assertEquals(3 * SEG, board.delivered());
    }

    @Test
    void cumulativeAckRemovesSegmentsReportsOnlyTheUnsackedAndCutsOneAcross() {
        board.sack(at(1), at(2), record);
        delivered.clear();
        board.acknowledge(at(2) + 400, record);
        assertEquals(List.of("0@0"), delivered); // 1 was delivered when SACKed
        assertEquals(4, board.size());
        assertEquals(at(2) + 400, board.start(0));
        assertEquals(2 * SEG + 400, board.delivered());
        assertEquals(3 * SEG + 600, board.pipe());
        assertEquals(0, board.sackedSegments());
        assertEquals(at(2) + 400, board.highestSacked(at(2) + 400));
    }

    @Test
    void lostSegmentsLeavePipeUntilSentAgainAndALostRetransmissionIsReported() {
        assertFalse(board.markLost(0));
        assertFalse(board.markLost(1));
        assertEquals(4 * SEG, board.pipe());
        assertEquals(0, board.nextToResend(0));
        board.retransmitted(at(0), at(1), 100);
        assertEquals(5 * SEG, board.pipe());
        assertEquals(1, board.nextToResend(0));
        assertTrue(board.is(0, SackScoreboard.RETRANS | SackScoreboard.EVER_RETRANS));
        assertEquals(100, board.sentAt(0));
        assertTrue(board.markLost(0)); // the retransmission is lost too
        assertEquals(4 * SEG, board.pipe());
        assertEquals(0, board.nextToResend(0));
        assertEquals(2 * SEG, board.lost());
        board.sack(at(0), at(1), record);
        assertEquals(List.of("0@100/10"), delivered); // LOST | EVER_RETRANS when SACKed
        assertEquals(SEG, board.lostBytes());
        assertEquals(0, board.retransBytes());
    }

    @Test
    void retransmittingPartOfASegmentSplitsItKeepingItsMarks() {
        board.sack(at(4), at(5), record);
        board.markLost(2);
        board.retransmitted(at(2), at(2) + 400, 50);
        assertEquals(7, board.size());
        assertEquals(at(2) + 400, board.start(3));
        assertTrue(board.is(3, SackScoreboard.LOST));
        assertFalse(board.is(3, SackScoreboard.RETRANS));
        assertEquals(2, board.sentAt(3));
        assertEquals(50, board.sentAt(2));
        assertEquals(3, board.nextToResend(0));
        assertEquals(4 * SEG + 400, board.pipe()); // 6 out, 1 SACKed, 1 lost, 400 bytes of it sent again
        board.splitAt(at(4) + 500); // a SACKed segment split counts as two
        assertEquals(2, board.sackedSegments());
    }

    @Test
    void renegingForgetsEverySackAndTheSegmentsCountAsInFlightAgain() {
        board.sack(at(0), at(2), record);
        assertTrue(board.headSacked());
        board.clearSacks();
        assertFalse(board.headSacked());
        assertEquals(6 * SEG, board.pipe());
        assertEquals(0, board.sackedSegments());
    }

    @Test
    void manySegmentsGrowTheArraysAndStayInOrderAsTheHeadMoves() {
        SackScoreboard big = new SackScoreboard();
        for (int k = 0; k < 1000; k++) {
            big.appended(at(k), at(k + 1), k);
            if (k % 3 == 2) {
                big.acknowledge(at(k - 1), record);
            }
        }
        assertEquals(at(999), big.start(0) + SEG * (big.size() - 1));
        assertEquals(big.size() - 1, big.indexOf(at(999) + 5));
        assertEquals(-1, big.indexOf(at(1000)));
    }
}
