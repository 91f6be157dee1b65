package io.tcpsim.tcp;

/**
 * CUBIC (RFC 9438), Linux's default: after a loss the window follows W_cubic(t) = C (t - K)^3 +
 * W_max (§4.2) with C = 0.4 and beta = 0.7 (§4.6), fast convergence (§4.7), and never grows
 * slower than the Reno-friendly estimate W_est (§4.3). Slow start ends early on {@link HyStart}'s
 * signals, as Linux's CUBIC does by default (RFC 9438 §4.10 allows it).
 */
final class Cubic implements CongestionControl {
    static final double C = 0.4;
    static final double BETA = 0.7;
    /** RFC 9438 §4.3: alpha_cubic = 3 (1 - beta) / (1 + beta). */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final double NANOS = 1e9;

    /** W_max and the previous W_max, in segments; the epoch start, K in seconds; W_est in segments. */
    private double wMax;
    private double wLastMax;
    private long epochStart = Long.MIN_VALUE;
    private double k;
    private double wEst;
    private double cwndSegs;
    private final HyStart hyStart = new HyStart();

    @Override
    public String name() {
        return CUBIC;
    }

    /** Linux cubictcp_acked() before the common growth: HyStart sees every ACK's RTT sample. */
    @Override
    public void onAck(Tcb tcb, int acked, long now) {
        long sample = tcb.rtt.takeLatest();
        if (tcb.cwnd < tcb.ssthresh) {
            hyStart.onAck(tcb, sample, now);
        }
        CongestionControl.super.onAck(tcb, acked, now);
    }

    @Override
    public void congestionAvoidance(Tcb tcb, int left, long now) {
        double mss = tcb.effectiveMss();
        double cwnd = Math.max(cwndSegs, tcb.cwnd / mss);
        if (epochStart == Long.MIN_VALUE) {
            startEpoch(cwnd, now);
        }
        double segs = left / mss;
        // §4.3: W_est += alpha_cubic * segments acknowledged / cwnd.
        wEst += ALPHA * segs / cwnd;
        double rtt = tcb.rtt.measured() ? tcb.rtt.srtt() / NANOS : 0;
        double t = (now - epochStart) / NANOS + rtt;
        double target = Math.clamp(C * Math.pow(t - k, 3) + wMax, cwnd, 1.5 * cwnd); // §4.4 target
        double next = wEst > target ? wEst : cwnd + (target - cwnd) * segs / cwnd; // §4.3 / §4.4-4.5
        cwndSegs = Math.max(next, cwnd);
        tcb.cwnd = Math.max(tcb.cwnd, (int) Math.min(Integer.MAX_VALUE / 2, cwndSegs * mss));
    }

    /** §4.2 / §4.8: K = cbrt(W_max (1 - beta) / C), 0 when the window is already above W_max. */
    private void startEpoch(double cwnd, long now) {
        epochStart = now;
        if (cwnd < wMax) {
            k = Math.cbrt((wMax - cwnd) / C);
        } else {
            k = 0;
            wMax = cwnd;
        }
        wEst = cwnd;
    }

    /** §4.6 multiplicative decrease with §4.7 fast convergence. */
    @Override
    public int ssthresh(Tcb tcb, long now) {
        double mss = tcb.effectiveMss();
        double cwnd = tcb.cwnd / mss;
        wMax = cwnd < wLastMax ? cwnd * (1 + BETA) / 2 : cwnd;
        wLastMax = cwnd;
        epochStart = Long.MIN_VALUE;
        cwndSegs = 0;
        return (int) Math.max(cwnd * BETA * mss, 2 * mss);
    }

    @Override
    public void reset() {
        epochStart = Long.MIN_VALUE;
        cwndSegs = 0;
        hyStart.reset();
    }
}
