package io.tcpsim.tcp;

import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A bounded FIFO of bytes: a connection's send or receive buffer. Its memory grows with what it
 * holds, doubling from {@link #FIRST_ALLOCATION} up to the capacity (rounded up to a power of
 * two, so that the pool can keep every array; less than twice the capacity), so that an idle connection
 * costs little (Linux allocates buffer memory per segment, on demand, and charges it to the socket).
 * The bound may change while bytes are queued (SO_SNDBUF, SO_RCVBUF on a connection); below what is
 * queued, nothing more fits until enough is taken out.
 *
 * <p>A ring that empties gives its memory back to its thread's {@link ArrayPool} and takes it again,
 * at the size it had, when bytes come: an idle connection holds no buffer, a busy one allocates
 * nothing once the pool has what it needs.
 *
 * <p>The stack thread owns the ring; another thread may take bytes out ({@link #take}, an
 * application's read on its own thread) or append them while the owner lets it
 * ({@link #appendFromOtherThread}, an application's write). So every method that reads or moves
 * the bytes holds the ring's monitor, {@code size} is volatile, and only the owner gives memory
 * back to its pool or takes it ({@link #releaseIfEmpty} after a {@link #take} emptied the ring).
 */
final class ByteRing implements TcpRepr.PayloadSource {
    static final int FIRST_ALLOCATION = 4096;
    private static final byte[] NONE = new byte[0];

    private int capacity;
    private byte[] bytes = NONE;
    /** The size of the memory last given back: what a ring that empties now and then needs. */
    private int lastLength;
    private int head;
    private volatile int size;
    /** Another thread may append ({@link #appendFromOtherThread}). */
    private boolean othersMayAppend;

    ByteRing(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative capacity " + capacity);
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** A new bound; the bytes queued stay, and memory is allocated as they grow. */
    synchronized void setCapacity(int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("capacity " + value);
        }
        capacity = value;
    }

    /** Bytes of memory the ring holds now (at most the capacity, or what was queued when it shrank). */
    int allocated() {
        return bytes.length;
    }

    int size() {
        return size;
    }

    int free() {
        return Math.max(0, capacity - size);
    }

    /** Appends as much of src[off, off+len) as fits; returns the bytes taken. */
    synchronized int write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int n = Math.min(len, free());
        if (n == 0) {
            return 0;
        }
        reserve(size + n);
        copyIn(src, off, n);
        return n;
    }

    /** The owner lets another thread append ({@link #appendFromOtherThread}) or stops it. */
    synchronized void letOthersAppend(boolean allowed) {
        othersMayAppend = allowed;
    }

    /**
     * Appends on a thread other than the owner's, while the owner lets it: as much of
     * src[off, off+len) as fits both the capacity and the memory the ring holds now, which it
     * never grows (the pool is the owner's); returns the bytes taken.
     */
    synchronized int appendFromOtherThread(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int n = othersMayAppend ? Math.min(len, Math.min(free(), bytes.length - size)) : 0;
        if (n > 0) {
            copyIn(src, off, n);
        }
        return n;
    }

    private void copyIn(byte[] src, int off, int n) {
        int tail = (head + size) % bytes.length;
        int first = Math.min(n, bytes.length - tail);
        System.arraycopy(src, off, bytes, tail, first);
        System.arraycopy(src, off + first, bytes, 0, n - first);
        size += n;
    }

    /**
     * Appends as much of src[off, off+len) as fits; returns the bytes taken. Copied straight from
     * {@code src} (for received data, the packet in the link's buffer) into the ring's array: the
     * one copy of the payload on the receive path.
     */
    synchronized int append(MemorySegment src, long off, int len) {
        int n = Math.min(len, free());
        if (n == 0) {
            return 0;
        }
        reserve(size + n);
        int tail = (head + size) % bytes.length;
        int first = Math.min(n, bytes.length - tail);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, bytes, tail, first);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off + first, bytes, 0, n - first);
        size += n;
        return n;
    }

    /** Removes up to len bytes into dst[off, off+len); returns the bytes moved. */
    synchronized int read(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = Math.min(len, size);
        copyOut(0, dst, off, n);
        drop(n);
        return n;
    }

    /**
     * Copies the len bytes starting at offset from the head into {@code dst} at {@code dstOffset},
     * leaving them in place: the send path's one copy of its data, from the queue straight into the
     * packet ({@link TcpRepr.PayloadSource}); in two pieces when they wrap around the array's end.
     */
    @Override
    public synchronized void copyTo(long offset, MemorySegment dst, long dstOffset, int len) {
        if (len == 0) {
            return; // an ACK or a bare FIN: nothing to copy, wherever the queue stands
        } else if (offset < 0 || len < 0 || offset + len > size) {
            throw new IllegalArgumentException(offset + "+" + len + " past " + size + " bytes");
        }
        int start = (int) ((head + offset) % bytes.length);
        int first = Math.min(len, bytes.length - start);
        MemorySegment.copy(bytes, start, dst, ValueLayout.JAVA_BYTE, dstOffset, first);
        MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, dstOffset + first, len - first);
    }

    /** Copies len bytes starting at offset from the head into dst[off, off+len), leaving them in place. */
    synchronized void copyTo(int offset, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        copyOut(offset, dst, off, len);
    }

    /**
     * Removes up to len bytes into dst[off, off+len) on a thread other than the owner's; returns the
     * bytes moved. The memory stays, even when the ring empties, for the owner's {@link #releaseIfEmpty}.
     */
    synchronized int take(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = Math.min(len, size);
        if (n > 0) {
            copyOut(0, dst, off, n);
            head = (head + n) % bytes.length;
            size -= n;
        }
        return n;
    }

    /** On the owner's thread: gives the memory back when {@link #take} emptied the ring. */
    synchronized void releaseIfEmpty() {
        if (size == 0 && bytes != NONE) {
            release();
        }
    }

    /** Discards every byte queued; returns how many. */
    synchronized int clear() {
        int n = size;
        drop(n);
        return n;
    }

    /** Discards n bytes from the head. */
    synchronized void drop(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("drop " + n + " of " + size);
        } else if (n > 0) {
            head = (head + n) % bytes.length;
            size -= n;
            if (size == 0) {
                release();
            }
        }
    }

    /**
     * Makes room for {@code needed} bytes: doubles the memory, at least to the first allocation,
     * at most to the power of two that holds the capacity ({@link #memoryBound}).
     */
    private void reserve(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        int wanted = Math.max(needed, Math.max(Math.max(FIRST_ALLOCATION, lastLength), 2 * bytes.length));
        // Always a power of two, as the pool keeps them: an autotuned capacity (2204830 bytes, say)
        // would otherwise take a fresh array each time the ring fills again after emptying.
        int length = (int) Math.min(memoryBound(capacity), Long.highestOneBit(2L * wanted - 1));
        ArrayPool pool = ArrayPool.current();
        byte[] grown = pool.take(length);
        copyOut(0, grown, 0, size);
        if (bytes != NONE) {
            pool.give(bytes);
        }
        bytes = grown;
        head = 0;
    }

    /** The most memory a ring holding up to {@code bytes} takes: the power of two at or above it. */
    static long memoryBound(int bytes) {
        return bytes <= 1 ? 1 : Long.highestOneBit(2L * bytes - 1);
    }

    /** Gives the memory of the empty ring back to the pool. */
    private void release() {
        lastLength = bytes.length;
        ArrayPool.current().give(bytes);
        bytes = NONE;
        head = 0;
    }

    private void copyOut(int offset, byte[] dst, int off, int len) {
        if (offset < 0 || offset + len > size) {
            throw new IllegalArgumentException(offset + "+" + len + " past " + size + " bytes");
        } else if (len == 0) {
            return;
        }
        int start = (head + offset) % bytes.length;
        int first = Math.min(len, bytes.length - start);
        System.arraycopy(bytes, start, dst, off, first);
        System.arraycopy(bytes, 0, dst, off + first, len - first);
    }
}
