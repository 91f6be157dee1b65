package io.tcpsim.drill;

/**
 * When an event happens, in microseconds (packetdrill's unit).
 *
 * @param kind       absolute (since the script started), relative ({@code +}, to when the
 *                   previous event finished) or any time ({@code *})
 * @param start      the time, or the start of a range
 * @param end        a range's end ({@code 0.1~0.3}, relative like start), or -1
 * @param blockEnd   a blocking call's return time ({@code +.1...0.2}, relative like start), or -1
 */
public record Timing(Kind kind, long start, long end, long blockEnd) {

    /** How the time is written. */
    public enum Kind { ABSOLUTE, RELATIVE, ANY }

    static Timing any() {
        return new Timing(Kind.ANY, 0, -1, -1);
    }

    boolean isRange() {
        return end >= 0;
    }

    boolean isBlocking() {
        return blockEnd >= 0;
    }
}
