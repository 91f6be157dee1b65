package io.tcpsim.tcp;

/**
 * Byte arrays that empty {@link ByteRing}s give back and filling ones take again, so that an idle
 * connection holds no buffer memory and a busy one allocates nothing in the steady state (Linux
 * frees an skb once it is read or acknowledged and takes a new one per segment, from its slab
 * caches). One pool per thread: a stack's rings live on its thread. Sizes are
 * {@link ByteRing#FIRST_ALLOCATION} times a power of two; each size keeps at most
 * {@link #POOLED_BYTES} bytes of arrays (at least one), the rest goes to the garbage collector.
 */
final class ArrayPool {
    static final int POOLED_BYTES = 4 << 20;
    private static final int CLASSES = 16;
    private static final ThreadLocal<ArrayPool> POOLS = ThreadLocal.withInitial(ArrayPool::new);

    private final byte[][][] free = new byte[CLASSES][][];
    private final int[] count = new int[CLASSES];

    private ArrayPool() {
    }

    /** This thread's pool. */
    static ArrayPool current() {
        return POOLS.get();
    }

    /** An array of exactly {@code length} bytes, from the pool when one is there; its content is undefined. */
    byte[] take(int length) {
        int c = sizeClass(length);
        if (c >= 0 && count[c] > 0) {
            byte[] array = free[c][--count[c]];
            free[c][count[c]] = null;
            return array;
        }
        return new byte[length];
    }

    /** Gives {@code array} back; the caller must not use it any more. */
    void give(byte[] array) {
        int c = sizeClass(array.length);
        if (c < 0) {
            return;
        }
        if (free[c] == null) {
            free[c] = new byte[Math.max(1, POOLED_BYTES / array.length)][];
        }
        if (count[c] < free[c].length) {
            free[c][count[c]++] = array;
        }
    }

    /** Arrays of {@code length} bytes held now. */
    int pooled(int length) {
        int c = sizeClass(length);
        return c < 0 ? 0 : count[c];
    }

    /** log2(length / FIRST_ALLOCATION) when that is a whole number below CLASSES, else -1 (not pooled). */
    private static int sizeClass(int length) {
        if (length < ByteRing.FIRST_ALLOCATION || Integer.bitCount(length) != 1) {
            return -1;
        }
        int c = Integer.numberOfTrailingZeros(length / ByteRing.FIRST_ALLOCATION);
        return c < CLASSES ? c : -1;
    }
}
