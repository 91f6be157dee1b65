package io.tcpsim.tun;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes a thread that sleeps in {@link TunDevice#awaitReadable(long, Wakeup)}: a non-blocking
 * {@code eventfd(2)} polled beside the device. {@link #signal} may be called from any thread and
 * writes to the eventfd only when no signal is pending, so a burst of signals costs one system call.
 */
public final class Wakeup implements AutoCloseable {
    /** The eventfd counter's increment: written by any signalling thread, never changed. */
    private static final MemorySegment ONE = MemorySegment.ofArray(new long[] {1});
    private final int fd;
    /** Where the waiter reads the counter to (one waiter): made once, not per wake-up. */
    private final MemorySegment drained = MemorySegment.ofArray(new long[1]);
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Wakeup(int fd) {
        this.fd = fd;
    }

    /** Creates the eventfd ({@code EFD_NONBLOCK | EFD_CLOEXEC}). */
    public static Wakeup open() throws IOException {
        return new Wakeup(Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC));
    }

    /** The eventfd, for callers that poll it themselves. */
    public int fd() {
        return fd;
    }

    /** Makes the next (or current) wait return at once. Does nothing after {@link #close}. */
    public void signal() throws IOException {
        if (!closed.get() && pending.compareAndSet(false, true)) {
            Libc.write(fd, ONE);
        }
    }

    /**
     * Clears the signal; called by the waiter after it woke, before it looks for work. The eventfd
     * is read before "pending" is cleared: the other way round, a signal in between would be read
     * away while leaving "pending" set, and every later signal would skip its write. A signal
     * that finds "pending" still set here needs no write: the waiter looks for work next.
     */
    void drain() throws IOException {
        Libc.read(fd, drained);
        pending.set(false);
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            Libc.close(fd);
        }
    }
}
