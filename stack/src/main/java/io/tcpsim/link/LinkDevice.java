package io.tcpsim.link;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A point-to-point IP link with no link-layer header: every frame is one IP packet. The stack
 * thread is the only caller, so implementations need no locking on the receive or transmit path.
 */
public interface LinkDevice extends AutoCloseable {

    /** Largest IP packet the link carries, in bytes. */
    int mtu();

    /**
     * Copies the next waiting packet into {@code buffer} and returns its length, or 0 when none is
     * waiting. Never blocks.
     */
    int receive(MemorySegment buffer) throws IOException;

    /** Sends {@code packet} (exactly its bytes) as one IP packet. */
    void transmit(MemorySegment packet) throws IOException;

    /**
     * Waits up to {@code timeoutNanos} for a packet to become receivable; true when one is.
     * Links driven by a virtual clock return at once.
     */
    boolean awaitReceivable(long timeoutNanos) throws IOException;

    /**
     * Makes a thread sleeping in {@link #awaitReceivable} (or its next call) return at once; any
     * thread may call it. Links driven by a virtual clock never sleep, so the default does nothing.
     */
    default void wakeUp() throws IOException {
    }

    @Override
    void close() throws IOException;
}
