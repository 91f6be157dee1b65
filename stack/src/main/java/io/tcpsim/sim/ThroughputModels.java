package io.tcpsim.sim;

/**
 * Closed-form TCP throughput models the simulation is compared with.
 */
public final class ThroughputModels {
    /** Mathis et al.'s constant for delayed ACKs off: sqrt(3/2). */
    private static final double MATHIS_C = Math.sqrt(1.5);
    /** Segments acknowledged per ACK: Linux's delayed ACKs acknowledge every second one. */
    private static final double SEGMENTS_PER_ACK = 2;
    /** Linux's RTO floor, TCP_RTO_MIN: the first timeout is about RTT + 200 ms. */
    private static final double RTO_MIN_SECONDS = 0.2;

    private ThroughputModels() {
    }

    /**
     * Mathis, Semke, Mahdavi, Ott, "The macroscopic behavior of the TCP congestion avoidance
     * algorithm" (CCR 1997): rate = MSS / RTT * C / sqrt(p), in bit/s; infinite without loss or delay.
     */
    public static double mathisBps(int mss, double rttSeconds, double loss) {
        if (loss <= 0 || rttSeconds <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return mss * 8 / rttSeconds * MATHIS_C / Math.sqrt(loss);
    }

    /**
     * Padhye, Firoiu, Towsley, Kurose, "Modeling TCP throughput: a simple model and its empirical
     * validation" (SIGCOMM 1998), equation 31 without the window limit: unlike Mathis's, it counts
     * retransmission timeouts, which dominate at high loss. In bit/s; infinite without loss.
     */
    public static double padhyeBps(int mss, double rttSeconds, double loss) {
        if (loss <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double b = SEGMENTS_PER_ACK;
        double rto = rttSeconds + RTO_MIN_SECONDS;
        double perPacket = rttSeconds * Math.sqrt(2 * b * loss / 3)
                + rto * Math.min(1, 3 * Math.sqrt(3 * b * loss / 8)) * loss * (1 + 32 * loss * loss);
        return mss * 8 / perPacket;
    }
}
