package io.tcpsim.tcp;

/**
 * The log line for a window scale above 14 in a peer's SYN, which is then used as 14 (RFC 7323
 * §2.3), worded and rate limited as Linux's tcp_parse_options() does it
 * ("%s: Illegal window scaling value %d > %u received", net_info_ratelimited(): at most
 * {@link #BURST} lines per {@link #INTERVAL_NANOS}, the rest suppressed), so that a flood of such
 * SYNs cannot flood the log.
 */
final class IllegalWindowScale {
    private static final System.Logger LOG = System.getLogger(IllegalWindowScale.class.getName());
    static final long INTERVAL_NANOS = 5_000_000_000L;
    static final int BURST = 10;

    private static long windowStart = Long.MIN_VALUE;
    private static int logged;

    private IllegalWindowScale() {
    }

    /** Logs the clamp for {@code tuple} unless the rate limit says no; whether it logged. */
    static synchronized boolean log(FourTuple tuple, int shift, long now) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= INTERVAL_NANOS || now < windowStart) {
            windowStart = now;
            logged = 0;
        }
        if (logged >= BURST) {
            return false;
        }
        logged++;
        LOG.log(System.Logger.Level.INFO, "{0}: Illegal window scaling value {1} > {2} received", tuple, shift,
                TcpConfig.MAX_WINDOW_SCALE);
        return true;
    }
}
