package io.tcpsim.tcp;

import java.util.Locale;

/**
 * A congestion control algorithm (Linux tcp_congestion_ops): how the congestion window grows on
 * new acknowledgments and what the slow-start threshold becomes after a loss. The window itself
 * ({@link Tcb#cwnd}, {@link Tcb#ssthresh}) and loss recovery (RFC 6582, RFC 6298) are common to
 * all; an instance belongs to one connection.
 */
interface CongestionControl {
    /** Linux's names, as TCP_CONGESTION and net.ipv4.tcp_congestion_control take them. */
    String RENO = "reno";
    String CUBIC = "cubic";

    String name();

    /** {@code acked} bytes of new data acknowledged outside recovery: grow the window. */
    default void onAck(Tcb tcb, int acked, long now) {
        if (acked <= 0) {
            return;
        }
        int left = tcb.cwnd < tcb.ssthresh ? slowStart(tcb, acked) : acked;
        if (left > 0) {
            congestionAvoidance(tcb, left, now);
        }
    }

    /** Growth once slow start is over (RFC 5681 §3.1), for the {@code acked} bytes it left. */
    void congestionAvoidance(Tcb tcb, int acked, long now);

    /** The slow-start threshold after a loss is detected (fast retransmit or RTO). */
    int ssthresh(Tcb tcb, long now);

    /** Forgets per-epoch state: after an RTO or restart after idle. */
    void reset();

    /** A new instance of the named algorithm. */
    static CongestionControl named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case RENO -> new Reno();
            case CUBIC -> new Cubic();
            default -> throw new IllegalArgumentException("unknown congestion control " + name);
        };
    }

    static boolean known(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals(RENO) || n.equals(CUBIC);
    }

    /**
     * Slow start with Appropriate Byte Counting (RFC 3465 §2.2, L = 2 SMSS; RFC 5681 §3.1):
     * cwnd += min(acked, L * SMSS), not beyond ssthresh. Returns the bytes left over for
     * congestion avoidance.
     */
    static int slowStart(Tcb tcb, int acked) {
        int mss = tcb.effectiveMss();
        int room = tcb.ssthresh - tcb.cwnd;
        int grow = Math.min(Math.min(acked, 2 * mss), Math.max(room, 0));
        tcb.cwnd += grow;
        return tcb.cwnd >= tcb.ssthresh ? acked - grow : 0;
    }
}
