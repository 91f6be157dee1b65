package io.tcpsim.time;

/** Real time: {@link System#nanoTime()}, anchored to the wall clock once at creation. */
public final class SystemClock implements Clock {

    private final long epochAtStart;
    private final long nanoAtStart;

    public SystemClock() {
        java.time.Instant now = java.time.Instant.now();
        this.nanoAtStart = System.nanoTime();
        this.epochAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long epochNanos(long nanoTime) {
        return epochAtStart + (nanoTime - nanoAtStart);
    }
}
