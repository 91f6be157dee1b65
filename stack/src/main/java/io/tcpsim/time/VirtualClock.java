package io.tcpsim.time;

/**
 * Time that moves only when told to: drill scripts, pcap replay and simulations run on it, so they
 * are deterministic and faster than real time. Confined to the thread that drives the stack.
 */
public final class VirtualClock implements Clock {

    private final long epochAtZero;
    private long now;

    /** A clock at 0 whose wall-clock reading is {@code epochAtZero} nanoseconds since the epoch. */
    public VirtualClock(long epochAtZero) {
        this.epochAtZero = epochAtZero;
    }

    public VirtualClock() {
        this(0);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long epochNanos(long nanoTime) {
        return epochAtZero + nanoTime;
    }

    /** Moves time forward by {@code nanos} (never backward). */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("virtual time cannot go backward: " + nanos);
        }
        now += nanos;
    }

    /** Moves time forward to {@code nanoTime}; a deadline already past leaves the clock where it is. */
    public void advanceTo(long nanoTime) {
        if (nanoTime > now) {
            now = nanoTime;
        }
    }
}
