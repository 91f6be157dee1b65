package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The out-of-order queue: merging, overlaps, duplicates, the hole bound, sequence wrap. */
class ReassemblyTest {
    private final Reassembly q = new Reassembly();

    private void add(int seq, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        q.add(seq, MemorySegment.ofArray(b), 0, b.length);
    }

    private static String text(Reassembly.Block b) {
        return new String(b.data(), b.offset(), b.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void disjointSegmentsStayApartInOrder() {
        add(20, "cc");
        add(10, "aa");
        assertEquals(2, q.blockCount());
        assertEquals(10, q.blocks().get(0).seq());
    }

    @Test
    void overlappingAndAdjacentSegmentsMergeKeepingTheFirstBytes() {
        add(10, "abcd");
        add(12, "XXef");
        add(16, "gh");
        add(8, "zzab");
        assertEquals(1, q.blockCount());
        assertEquals("zzabcdefgh", text(q.blocks().get(0)));
    }

    @Test
    void duplicateSegmentChangesNothing() {
        add(10, "abcd");
        add(10, "abcd");
        add(11, "bc");
        assertEquals(4, q.size());
        assertEquals(1, q.blockCount());
    }

    @Test
    void segmentBridgingTwoBlocksMergesAllThree() {
        add(10, "ab");
        add(20, "kl");
        add(11, "bcdefghijk");
        assertEquals(1, q.blockCount());
        assertEquals("abcdefghijkl", text(q.blocks().get(0)));
    }

    @Test
    void takeAtReturnsTheBlockTrimmedToRcvNxtAndNothingBeyondAGap() {
        add(10, "abcd");
        add(20, "xy");
        assertNull(q.takeAt(9));
        assertEquals("cd", text(q.takeAt(12)));
        assertNull(q.takeAt(14));
        assertEquals(1, q.blockCount());
    }

    @Test
    void blocksWhollyBelowRcvNxtAreDiscarded() {
        add(10, "ab");
        add(13, "cd");
        assertEquals("d", text(q.takeAt(14)));
        assertEquals(0, q.blockCount());
    }

    @Test
    void holesBeyondTheBoundDropTheHighestBlock() {
        for (int i = 0; i <= Reassembly.MAX_BLOCKS; i++) {
            add(10 * i, "x");
        }
        assertEquals(Reassembly.MAX_BLOCKS, q.blockCount());
        assertEquals(10 * (Reassembly.MAX_BLOCKS - 1), q.blocks().getLast().seq());
    }

    @Test
    void segmentsAcrossTheSequenceWrapMerge() {
        add(-2, "ab");
        add(0, "cd");
        assertEquals(1, q.blockCount());
        assertEquals("ab", text(q.takeAt(-2)));
        assertEquals("cd", text(q.takeAt(0)));
        assertEquals(0, q.blockCount());
    }

    @Test
    void extendingABlockCopiesOnlyTheNewBytes() {
        byte[] first = "abcd".getBytes(StandardCharsets.US_ASCII);
        q.add(10, MemorySegment.ofArray(first), 0, first.length);
        Reassembly.Block held = q.takeAt(10);
        q.putBack(held);
        add(14, "efgh");
        add(12, "XXXXXXij");
        assertEquals(1, q.blockCount());
        assertEquals(10, q.size());
        assertEquals("abcdefghij", text(q.blocks().getFirst()));
        assertSame(held.data(), q.takeAt(10).data(), "the bytes held first stay in their array, not copied into a merged one");
        assertEquals("efgh", text(q.takeAt(14)));
        assertEquals("ij", text(q.takeAt(18)));
        assertTrue(q.isEmpty());
    }

    @Test
    void putBackOfAPartialPieceKeepsTheRest() {
        add(10, "abcdef");
        Reassembly.Block b = q.takeAt(10);
        q.putBack(new Reassembly.Block(13, b.data(), b.offset() + 3, b.length() - 3));
        assertEquals(3, q.size());
        assertEquals("def", text(q.takeAt(13)));
    }

    @Test
    void firstOverlapAndHeldBelowSpanAdjacentPieces() {
        add(10, "ab");
        add(12, "cd");
        add(20, "xy");
        assertEquals(new io.tcpsim.wire.TcpOption.SackBlock(11, 14), q.firstOverlap(11, 16));
        assertEquals(new io.tcpsim.wire.TcpOption.SackBlock(10, 13), q.heldBelow(13));
        assertNull(q.firstOverlap(14, 20));
        assertTrue(q.holds(13));
        assertFalse(q.holds(14));
        assertEquals(12, q.spanBeyond(10));
    }
}
