package io.tcpsim.tcp;

/**
 * Per-socket settings given to listen() and connect().
 *
 * @param reuseAddress SO_REUSEADDR: the local port may be bound while connections that also set it
 *                     (and TIME_WAIT ones) still use it, as in Linux inet_csk_bind_conflict()
 * @param maxSeg       TCP_MAXSEG: caps the MSS we advertise and send; 0 = not set
 */
public record SocketOptions(boolean reuseAddress, int maxSeg) {
    /** Linux TCP_MIN_MSS: the smallest TCP_MAXSEG setsockopt() accepts. */
    public static final int MIN_MAX_SEG = 88;
    public static final SocketOptions DEFAULT = new SocketOptions(false, 0);

    public SocketOptions {
        if (maxSeg != 0 && (maxSeg < MIN_MAX_SEG || maxSeg > 0xFFFF)) {
            throw new IllegalArgumentException("maxSeg " + maxSeg + " is not 0 or in " + MIN_MAX_SEG + "..65535");
        }
    }

    public SocketOptions withReuseAddress(boolean reuse) {
        return new SocketOptions(reuse, maxSeg);
    }

    public SocketOptions withMaxSeg(int mss) {
        return new SocketOptions(reuseAddress, mss);
    }
}
