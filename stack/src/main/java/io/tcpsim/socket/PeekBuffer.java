package io.tcpsim.socket;

import java.util.Arrays;

/** Received bytes that MSG_PEEK has taken out of the connection but the application not yet read. */
final class PeekBuffer {
    private byte[] bytes = new byte[0];
    private int size;

    int size() {
        return size;
    }

    /** Room for {@code n} more bytes; returns the array to fill from {@link #size()}. */
    byte[] reserve(int n) {
        if (bytes.length < size + n) {
            bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
        }
        return bytes;
    }

    void added(int n) {
        size += n;
    }

    /** Copies up to len bytes; consumes them unless peeking. */
    int take(byte[] dst, int off, int len, boolean peek) {
        int n = Math.min(len, size);
        System.arraycopy(bytes, 0, dst, off, n);
        if (!peek) {
            System.arraycopy(bytes, n, bytes, 0, size - n);
            size -= n;
        }
        return n;
    }
}
