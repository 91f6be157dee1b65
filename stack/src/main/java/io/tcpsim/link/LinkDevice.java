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
     * Whether the transport checksum of the packet {@link #receive} returned last needs no
     * verification: the link marked it partial (the sending kernel's own packet, never on a wire:
     * {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}) or already verified ({@code VIRTIO_NET_HDR_F_DATA_VALID}).
     */
    default boolean receivedChecksumTrusted() {
        return false;
    }

    /** Whether {@link #transmitSegmented} is available: the other end cuts TCP GSO packets (TSO). */
    default boolean segmentsOffloaded() {
        return false;
    }

    /**
     * Sends {@code packet}, one IPv4 or IPv6 TCP packet of up to 64 KiB whose payload the other
     * end cuts into segments of {@code segmentSize} bytes, each with a copy of the headers (Linux
     * GSO); its TCP checksum field holds only the pseudo-header sum, which the other end completes.
     *
     * @throws UnsupportedOperationException when {@link #segmentsOffloaded()} is false
     */
    default void transmitSegmented(MemorySegment packet, int segmentSize) throws IOException {
        throw new UnsupportedOperationException("this link does not segment TCP packets (no TSO)");
    }

    /**
     * Memory the link writes {@link #transmitSegmented} packets from, or null: a packet built at
     * its start goes to the link without being copied again (the payload copied once, from the
     * send queue into the link's buffer); any other packet is copied as before.
     */
    default MemorySegment segmentedTransmitBuffer() {
        return null;
    }

    /** Sends whatever the link holds back to coalesce; the stack calls it at the end of each poll. */
    default void flush() throws IOException {
    }

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
