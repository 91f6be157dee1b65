package io.tcpsim.time;

/**
 * The only source of time in tcpsim. Protocol code never reads a clock: the stack loop reads one
 * and hands {@code nowNanos} to every entry point, and every component answers with its next
 * deadline ({@link #NO_DEADLINE} when it has none).
 */
public interface Clock {

    /** "No deadline": the value every {@code nextDeadline()} returns when nothing is armed. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Wall-clock time of {@code nanoTime}, in nanoseconds since the Unix epoch (pcap timestamps). */
    long epochNanos(long nanoTime);
}
