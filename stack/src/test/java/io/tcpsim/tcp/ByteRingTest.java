package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link ByteRing}: memory that grows with the data held, content kept in order across growth and wrap-around. */
class ByteRingTest {

    private static byte[] counting(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void anEmptyRingHoldsNoMemoryAndTheFirstBytesTakeTheFirstAllocation() {
        ByteRing ring = new ByteRing(65_536);
        assertEquals(0, ring.allocated());
        assertEquals(65_536, ring.free());
        assertEquals(16, ring.write(new byte[16], 0, 16));
        assertEquals(ByteRing.FIRST_ALLOCATION, ring.allocated());
        assertEquals(65_536, ring.capacity());
        assertEquals(65_520, ring.free());
    }

    @Test
    void growthKeepsWrappedContentInOrder() {
        ByteRing ring = new ByteRing(65_536);
        ring.write(counting(0, 3000), 0, 3000);
        assertArrayEquals(counting(0, 2000), read(ring, 2000));
        ring.write(counting(3000, 3000), 0, 3000); // wraps around the 4096-byte array
        assertEquals(4096, ring.allocated());
        ring.write(counting(6000, 1000), 0, 1000); // 5000 held: doubles
        assertEquals(8192, ring.allocated());
        assertArrayEquals(counting(2000, 5000), read(ring, 5000));
        assertEquals(0, ring.size());
    }

    @Test
    void memoryNeverExceedsThePowerOfTwoAboveTheCapacity() {
        ByteRing ring = new ByteRing(5000);
        assertEquals(5000, ring.write(new byte[6000], 0, 6000));
        assertEquals(8192, ring.allocated());
        assertEquals(0, ring.write(new byte[1], 0, 1));
    }

    @Test
    void ringWithAnUnevenCapacityTakesItsArrayBackFromThePoolAfterEmptying() {
        ByteRing ring = new ByteRing(2_204_830);
        ring.write(new byte[100_000], 0, 100_000);
        ring.write(new byte[3_000_000], 0, 3_000_000);
        int length = ring.allocated();
        assertEquals(4 << 20, length);
        int held = ArrayPool.current().pooled(length);
        ring.drop(ring.size());
        assertEquals(held + 1, ArrayPool.current().pooled(length), "the emptied ring's array is pooled");
        ring.write(new byte[10], 0, 10);
        assertEquals(held, ArrayPool.current().pooled(length), "and taken again");
    }

    @Test
    void ringGrowsWhileBytesAreQueuedAndKeepsThemInOrder() {
        ByteRing ring = new ByteRing(8192);
        ring.write(counting(0, 8192), 0, 8192);
        ring.read(new byte[5000], 0, 5000);
        ring.write(counting(8192, 3000), 0, 3000); // wraps around the end of the array
        ring.setCapacity(40_000);
        ring.write(counting(11_192, 20_000), 0, 20_000);
        assertArrayEquals(counting(5000, 26_192), read(ring, 26_192));
    }

    @Test
    void copyAndDropWorkOnAnEmptyRing() {
        ByteRing ring = new ByteRing(1000);
        ring.drop(0);
        ring.copyTo(0, java.lang.foreign.MemorySegment.ofArray(new byte[0]), 0, 0);
        assertEquals(0, ring.read(new byte[8], 0, 8));
        assertEquals(0, ring.allocated());
    }

    @Test
    void aRingThatEmptiesGivesItsMemoryBackAndTakesItAgainAtTheSameSize() {
        ByteRing ring = new ByteRing(65_536);
        ring.write(new byte[10_000], 0, 10_000);
        assertEquals(16_384, ring.allocated());
        int pooledBefore = ArrayPool.current().pooled(16_384);
        assertEquals(10_000, ring.read(new byte[10_000], 0, 10_000));
        assertEquals(0, ring.allocated(), "an idle ring holds no memory");
        assertEquals(pooledBefore + 1, ArrayPool.current().pooled(16_384));
        ring.write(counting(0, 10), 0, 10);
        assertEquals(16_384, ring.allocated(), "back at the size it had, without growing again");
        assertEquals(pooledBefore, ArrayPool.current().pooled(16_384), "the pooled array, not a new one");
        assertArrayEquals(counting(0, 10), read(ring, 10));
    }

    @Test
    void copyToTakesContiguousAndWrappedBytesWhereTheyLieAndLeavesThem() {
        ByteRing ring = new ByteRing(4096);
        ring.write(counting(0, 4000), 0, 4000);
        ring.drop(3000);
        ring.write(counting(4000, 2000), 0, 2000); // 96 bytes up to the end of the 4096-byte array, the rest from its start
        byte[] packet = new byte[1010];
        ring.copyTo(0, java.lang.foreign.MemorySegment.ofArray(packet), 10, 1000);
        assertArrayEquals(counting(3000, 1000), Arrays.copyOfRange(packet, 10, 1010));
        ring.copyTo(500, java.lang.foreign.MemorySegment.ofArray(packet), 0, 1000); // wraps
        assertArrayEquals(counting(3500, 1000), Arrays.copyOf(packet, 1000));
        assertEquals(3000, ring.size(), "left in place");
        assertThrows(IllegalArgumentException.class,
                () -> ring.copyTo(2500, java.lang.foreign.MemorySegment.ofArray(packet), 0, 501));
    }

    private static byte[] read(ByteRing ring, int n) {
        byte[] out = new byte[n];
        int got = ring.read(out, 0, n);
        return Arrays.copyOf(out, got);
    }
}
