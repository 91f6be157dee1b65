package io.tcpsim.tcp;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A bounded FIFO of bytes: a connection's send or receive buffer. */
final class ByteRing {
    private final byte[] bytes;
    private final MemorySegment view;
    private int head;
    private int size;

    int capacity() {
        return bytes.length;
    }

    ByteRing(int capacity) {
        bytes = new byte[capacity];
        view = MemorySegment.ofArray(bytes);
    }

    int size() {
        return size;
    }

    int free() {
        return bytes.length - size;
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

    /** Copies len bytes starting at offset from the head into dst[off, off+len), leaving them in place. */
    void copyTo(int offset, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        copyOut(offset, dst, off, len);
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
