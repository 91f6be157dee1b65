package io.tcpsim.tcp;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A bounded FIFO of bytes: a connection's send or receive buffer. The bound may change while
 * bytes are queued (SO_SNDBUF, SO_RCVBUF on a connection); below what is queued, nothing more fits
 * until enough is taken out.
 */
final class ByteRing {
    private byte[] bytes;
    private MemorySegment view;
    private int capacity;
    private int head;
    private int size;

    ByteRing(int capacity) {
        bytes = new byte[capacity];
        view = MemorySegment.ofArray(bytes);
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** A new bound; the bytes queued stay. */
    void setCapacity(int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("capacity " + value);
        } else if (value > bytes.length) {
            byte[] grown = new byte[value];
            copyOut(0, grown, 0, size);
            bytes = grown;
            view = MemorySegment.ofArray(grown);
            head = 0;
        }
        capacity = value;
    }

    int size() {
        return size;
    }

    int free() {
        return Math.max(0, capacity - size);
    }

    /** Appends as much of src[off, off+len) as fits; returns the bytes taken. */
    int write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        return append(MemorySegment.ofArray(src), off, len);
    }

    /** Appends as much of src[off, off+len) as fits; returns the bytes taken. */
    int append(MemorySegment src, long off, int len) {
        int n = Math.min(len, free());
        int tail = (head + size) % bytes.length;
        int first = Math.min(n, bytes.length - tail);
        MemorySegment.copy(src, off, view, tail, first);
        MemorySegment.copy(src, off + first, view, 0, n - first);
        size += n;
        return n;
    }

    /** Removes up to len bytes into dst[off, off+len); returns the bytes moved. */
    int read(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = Math.min(len, size);
        copyOut(0, dst, off, n);
        drop(n);
        return n;
    }

    /** A copy of len bytes starting at offset from the head, left in place. */
    MemorySegment copy(int offset, int len) {
        byte[] out = new byte[len];
        copyOut(offset, out, 0, len);
        return MemorySegment.ofArray(out);
    }

    /** Discards n bytes from the head. */
    void drop(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("drop " + n + " of " + size);
        }
        head = (head + n) % bytes.length;
        size -= n;
    }

    private void copyOut(int offset, byte[] dst, int off, int len) {
        if (offset < 0 || offset + len > size) {
            throw new IllegalArgumentException(offset + "+" + len + " past " + size + " bytes");
        }
        int start = (head + offset) % bytes.length;
        int first = Math.min(len, bytes.length - start);
        System.arraycopy(bytes, start, dst, off, first);
        System.arraycopy(bytes, 0, dst, off + first, len - first);
    }
}
