package io.tcpsim.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Scatter/gather over ByteBuffers: positions advance by what moved, direct buffers too. */
class IoVectorTest {
    private static final byte[] SOURCE = "abcdefghij".getBytes(StandardCharsets.US_ASCII);

    /** A chunk that copies from SOURCE (reads) or records what it was given (writes). */
    private static int fromSource(byte[] a, int off, int len) {
        int n = Math.min(len, SOURCE.length);
        System.arraycopy(SOURCE, 0, a, off, n);
        return n;
    }

    @Test
    void readScattersInOrder_acrossHeapAndDirectBuffers_positionsAdvance() {
        ByteBuffer first = ByteBuffer.allocate(3);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer direct = ByteBuffer.allocateDirect(4);
        ByteBuffer last = ByteBuffer.allocate(8);
        IoVector v = IoVector.of(new ByteBuffer[] {first, empty, direct, last});
        assertEquals(15, v.length());
        assertEquals(10, v.read(0, 64, IoVectorTest::fromSource));
        assertEquals("abc", new String(first.array(), StandardCharsets.US_ASCII));
        assertEquals(4, direct.position());
        direct.flip();
        byte[] d = new byte[4];
        direct.get(d);
        assertEquals("defg", new String(d, StandardCharsets.US_ASCII));
        assertEquals(3, last.position());
        assertEquals(5, v.length());
    }

    @Test
    void readTakesNoMoreThanTheHint() {
        ByteBuffer b = ByteBuffer.allocate(10);
        assertEquals(4, IoVector.of(new ByteBuffer[] {b}).read(0, 4, IoVectorTest::fromSource));
        assertEquals(4, b.position());
    }

    @Test
    void writeGathersInOrder_andAdvancesOnlyWhatWasTaken() {
        ByteBuffer a = ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap("cdef".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        StringBuilder taken = new StringBuilder();
        int r = IoVector.of(new ByteBuffer[] {a, b}).write(0, 64, (arr, off, len) -> {
            taken.append(new String(arr, off, 3, StandardCharsets.US_ASCII));
            return 3;
        });
        assertEquals(3, r);
        assertEquals("abc", taken.toString());
        assertEquals(2, a.position());
        assertEquals(1, b.position());
    }

    @Test
    void nullBufferIsAFault_readOnlyOnlyForReads_nullArrayIsEmpty() {
        assertTrue(IoVector.of(new ByteBuffer[] {ByteBuffer.allocate(1), null}).faulty(false));
        ByteBuffer readOnly = ByteBuffer.allocate(4).asReadOnlyBuffer();
        assertTrue(IoVector.of(new ByteBuffer[] {readOnly}).faulty(true));
        assertFalse(IoVector.of(new ByteBuffer[] {readOnly}).faulty(false));
        assertEquals(0, IoVector.of((ByteBuffer[]) null).length());
        assertEquals(0, IoVector.of((ByteBuffer[]) null).count());
    }

    @Test
    void discardingReadsGiveNoArray() {
        IoVector v = IoVector.of(new ByteBuffer[] {ByteBuffer.allocate(7)}).discarding();
        assertEquals(5, v.read(2, 0, (arr, off, len) -> arr == null ? len : -1));
    }
}
