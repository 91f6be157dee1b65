package io.tcpsim.tcp;

/**
 * Reno (RFC 5681): slow start and congestion avoidance with byte counting (RFC 3465 §2.1: cwnd
 * grows by one SMSS per cwnd of bytes acknowledged), ssthresh = max(FlightSize / 2, 2 * SMSS)
 * after a loss (RFC 5681 §3.1 equation 4).
 */
final class Reno implements CongestionControl {
    private int bytesAcked;

    @Override
    public String name() {
        return RENO;
    }

    @Override
    public void congestionAvoidance(Tcb tcb, int left, long now) {
        bytesAcked += left;
        if (bytesAcked >= tcb.cwnd) {
            bytesAcked -= tcb.cwnd;
            tcb.cwnd += tcb.effectiveMss();
        }
    }

    @Override
    public int ssthresh(Tcb tcb, long now) {
        return Math.max(tcb.flight() / 2, 2 * tcb.effectiveMss());
    }

    @Override
    public void reset() {
        bytesAcked = 0;
    }
}
