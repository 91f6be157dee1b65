package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/**
 * The retransmission timer's value (RFC 6298): SRTT and RTTVAR from RTT samples, one segment
 * timed at a time (RFC 6298 §3), Karn's rule (no sample from a retransmitted segment, RFC 6298
 * §3 and §5), exponential backoff (§5.5) kept until the next valid sample; the smoothing, the RTO
 * and the backoff as the config's {@link RtoPolicy} computes them. All times in nanoseconds; the
 * caller passes the time in.
 */
final class RttEstimator {
    /** RFC 6298 §5.7, Linux TCP_TIMEOUT_FALLBACK: the RTO after a handshake that gave no sample. */
    static final long TIMEOUT_FALLBACK_NANOS = 3_000_000_000L;
    /** Linux TCP_RTO_MIN: 200 ms. */
    static final long RTO_MIN_NANOS = 200_000_000L;
    private final RtoPolicy policy;
    private final long initialRto;
    private final long rtoMax;
    /** SRTT and RTTVAR as the policy smoothed them (RFC 6298 §2); null before the first sample. */
    private RtoPolicy.Smoothed smoothed;
    private long rto;
    private boolean measured;
    /** The last sample not yet taken by {@link #takeLatest}, or -1. */
    private long latest = -1;
    private int backoff;
    private boolean timing;
    private int timedSeq;
    private long timedAt;
    /** Smallest sample so far; -1 before the first. */
    private long minRtt = -1;

    RttEstimator(RtoPolicy policy, long initialRtoNanos, long rtoMaxNanos) {
        this.policy = policy;
        this.initialRto = initialRtoNanos;
        this.rtoMax = rtoMaxNanos;
        this.rto = initialRtoNanos; // RFC 6298 §2.1: RTO <- 1 second before any measurement
    }

    /** The timer's current value: the RTO backed off, at most RTO max (RFC 6298 §5.5, §2.5). */
    long currentRto() {
        return policy.backedOff(rto, smoothed, initialRto, backoff, rtoMax);
    }

    /** The RTO without backoff. */
    long baseRto() {
        return rto;
    }

    boolean measured() {
        return measured;
    }

    long srtt() {
        return measured ? smoothed.srtt() : 0;
    }

    long rttvar() {
        return measured ? smoothed.rttvar() : 0;
    }

    int backoff() {
        return backoff;
    }

    /**
     * RFC 6298 §5.7: the handshake is over without a valid sample (its SYN or SYN-ACK was sent
     * again), so the RTO is 3 s until the first one (Linux tcp_init_metrics()).
     */
    void fallBack() {
        if (!measured && policy.fallsBackAfterHandshake()) {
            rto = Math.min(TIMEOUT_FALLBACK_NANOS, rtoMax);
        }
    }

    /** The sample the last ACK gave, once (Linux's per-ACK ack_sample.rtt_us), or -1 when it gave none. */
    long takeLatest() {
        long r = latest;
        latest = -1;
        return r;
    }

    /**
     * The smallest RTT sample, -1 before any. Linux tcp_min_rtt() keeps a windowed minimum
     * (tcp_min_rtt_wlen, 5 minutes); this one is over the connection's life.
     */
    long minRtt() {
        return minRtt;
    }

    /** RFC 6298 §5.5: the timer expired; backs the RTO off (Linux: doubles it). */
    void backOff() {
        if (currentRto() < rtoMax) {
            backoff++;
        }
    }

    /** Starts timing the segment ending at {@code endSeq} unless one is already timed (RFC 6298 §3). */
    void startTiming(int endSeq, long now) {
        if (!timing) {
            timing = true;
            timedSeq = endSeq;
            timedAt = now;
        }
    }

    /** Karn's rule (RFC 6298 §3): a retransmission makes the timed segment's ACK ambiguous. */
    void cancelTiming() {
        timing = false;
    }

    /** An ACK up to {@code ack}: a sample when it covers the timed segment; whether it took one. */
    boolean onAck(int ack, long now) {
        if (timing && Seq.ge(ack, timedSeq)) {
            timing = false;
            sample(Math.max(0, now - timedAt)); // the stack's time may step back within a poll (TcpTimestamps#stamp)
            return true;
        }
        return false;
    }

    /**
     * RFC 6298 §2.2-2.3 with a valid sample R, as the policy smooths it and sets the RTO (Linux:
     * RTO = SRTT + max(4 * RTTVAR, 200 ms), at most RTO max). A valid sample ends the backoff (Karn).
     */
    void sample(long r) {
        latest = r;
        minRtt = minRtt < 0 ? r : Math.min(minRtt, r);
        smoothed = policy.smooth(smoothed, r);
        measured = true;
        rto = policy.rto(smoothed, r, rtoMax);
        backoff = 0;
    }
}
