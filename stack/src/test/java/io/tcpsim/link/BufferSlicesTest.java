package io.tcpsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** One slice per length, made once, over the buffer's own memory from the offset. */
class BufferSlicesTest {

    @Test
    void aLengthAskedForAgainIsTheSameSliceOverTheBuffersMemory() {
        MemorySegment buffer = MemorySegment.ofArray(new byte[1000]);
        BufferSlices slices = new BufferSlices(buffer, 20);
        MemorySegment first = slices.of(300);
        assertSame(first, slices.of(300));
        assertEquals(300, first.byteSize());
        buffer.set(ValueLayout.JAVA_BYTE, 20, (byte) 7);
        assertEquals(7, first.get(ValueLayout.JAVA_BYTE, 0), "a view, not a copy");
        assertEquals(980, slices.of(980).byteSize());
        assertEquals(0, slices.of(0).byteSize());
        assertTrue(slices.over(buffer));
    }

    @Test
    void aLengthPastTheBufferIsRefused() {
        BufferSlices slices = new BufferSlices(MemorySegment.ofArray(new byte[1000]), 20);
        assertThrows(IndexOutOfBoundsException.class, () -> slices.of(981));
        assertThrows(IndexOutOfBoundsException.class, () -> slices.of(-1));
    }
}
