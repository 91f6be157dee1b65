package io.tcpsim.socket;

/** {@code struct timeval} for SO_RCVTIMEO and SO_SNDTIMEO (socket(7)). */
public record Timeval(long sec, long usec) {
    public static final Timeval ZERO = new Timeval(0, 0);
}
