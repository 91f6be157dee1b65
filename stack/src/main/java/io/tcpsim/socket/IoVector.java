package io.tcpsim.socket;

import java.nio.ByteBuffer;

/**
 * The bytes of a read or write: one array (recv, send), the buffers of readv, writev, recvmsg,
 * sendmsg (each from its position to its limit; positions advance as bytes move, as NIO's
 * scattering and gathering channels do), or nowhere (MSG_TRUNC: TCP discards what it reads).
 * Buffers go through one array per step, sized to what the connection can move now.
 */
final class IoVector {
    /** Linux UIO_MAXIOV (IOV_MAX). */
    static final int MAX_IOV = 1024;
    /** Linux MAX_RW_COUNT: a read or write moves at most INT_MAX rounded down to a page. */
    static final int MAX_COUNT = Integer.MAX_VALUE & ~4095;

    /**
     * Moves up to len bytes at array[off..] (array null: read and discard them): the count, or
     * END / -errno as StreamIo returns.
     */
    @FunctionalInterface
    interface Chunk {
        int move(byte[] array, int off, int len);
    }

    private final ByteBuffer[] buffers;
    private final byte[] array;
    private final int offset;
    private final int length;

    private IoVector(ByteBuffer[] buffers, byte[] array, int offset, int length) {
        this.buffers = buffers;
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    static IoVector of(byte[] array, int offset, int length) {
        return new IoVector(null, array, offset, length);
    }

    /** The buffers of a vectored call; a null array is an empty vector (C's NULL with a count of 0). */
    static IoVector of(ByteBuffer[] buffers) {
        return new IoVector(buffers == null ? new ByteBuffer[0] : buffers, null, 0, 0);
    }

    /** A vector of this many bytes that reads discard (MSG_TRUNC). */
    static IoVector discard(int length) {
        return new IoVector(null, null, 0, length);
    }

    /** The same length, for reads that discard (MSG_TRUNC). */
    IoVector discarding() {
        return discard(length());
    }

    /** How many buffers (IOV_MAX applies); 1 for an array. */
    int count() {
        return buffers == null ? 1 : buffers.length;
    }

    /** The bytes the vector holds (reads: room; writes: data), at most {@link #MAX_COUNT}. */
    int length() {
        if (buffers == null) {
            return length;
        }
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        return (int) Math.min(total, MAX_COUNT);
    }

    /**
     * A buffer C would call a bad address (EFAULT): a null one, or for a read one that is read-only.
     * Checked before {@link #length}.
     */
    boolean faulty(boolean reading) {
        if (buffers != null) {
            for (ByteBuffer b : buffers) {
                if (b == null || (reading && b.isReadOnly() && b.hasRemaining())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A read step: {@code op} fills the vector from byte {@code done} on, at most {@code hint}
     * bytes through buffers (what the connection has now); returns op's result.
     */
    int read(int done, int hint, Chunk op) {
        if (buffers == null) {
            return array == null ? op.move(null, 0, length - done) : op.move(array, offset + done, length - done);
        }
        byte[] step = new byte[Math.min(length() , hint)];
        int r = op.move(step, 0, step.length);
        for (int i = 0, at = 0; r > 0 && at < r; i++) {
            int n = Math.min(buffers[i].remaining(), r - at);
            buffers[i].put(step, at, n);
            at += n;
        }
        return r;
    }

    /** A write step: {@code op} takes from byte {@code done} on, at most {@code hint} bytes through buffers. */
    int write(int done, int hint, Chunk op) {
        if (buffers == null) {
            return op.move(array, offset + done, length - done);
        }
        byte[] step = new byte[Math.min(length(), hint)];
        for (int i = 0, at = 0; at < step.length; i++) {
            int n = Math.min(buffers[i].remaining(), step.length - at);
            buffers[i].duplicate().get(step, at, n);
            at += n;
        }
        int r = op.move(step, 0, step.length);
        for (int i = 0, at = 0; r > 0 && at < r; i++) {
            int n = Math.min(buffers[i].remaining(), r - at);
            buffers[i].position(buffers[i].position() + n);
            at += n;
        }
        return r;
    }
}
