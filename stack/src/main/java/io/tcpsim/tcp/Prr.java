package io.tcpsim.tcp;

/**
 * Proportional Rate Reduction (RFC 6937 §3; RFC 9937 obsoletes it with the same algorithm) in the
 * form of Linux's tcp_cwnd_reduction(): during recovery every ACK sets cwnd to what is in flight
 * plus sndcnt, where sndcnt spreads the reduction to ssthresh over the round trip while more than
 * ssthresh is in flight, and otherwise lets out what was delivered.
 *
 * <p>Where Linux differs from RFC 6937 tcpsim follows Linux: RecoverFS is the cwnd when recovery
 * started (Linux prior_cwnd), not FlightSize; the reduction bound is the conservative one
 * (PRR-CRB, max(prr_delivered - prr_out, DeliveredData)) plus one segment, as PRR-SSRB, only when
 * the ACK advanced SND.UNA and marked nothing newly lost (RFC 9937's rule, as current Linux has it);
 * the first ACK of a recovery always lets one segment out (the fast retransmit). Linux counts
 * segments; tcpsim counts bytes and rounds a positive sndcnt up to whole segments, so that a
 * reduction releases full segments as Linux's does.
 */
final class Prr {
    /** RFC 6937 RecoverFS (Linux prior_cwnd), prr_delivered and prr_out, in bytes. */
    private int recoverFs;
    private long delivered;
    private long out;

    /** RFC 6937 §3 "at the beginning of recovery" (Linux tcp_init_cwnd_reduction()). */
    void start(int priorCwnd) {
        recoverFs = priorCwnd;
        delivered = 0;
        out = 0;
    }

    /** RFC 6937 §3 "on any data transmission or retransmission": prr_out += data sent. */
    void onSent(int bytes) {
        out += bytes;
    }

    /**
     * RFC 6937 §3 "on every ACK during recovery" (Linux tcp_cwnd_reduction()).
     *
     * @param cwnd           the congestion window now
     * @param ssthresh       the slow-start threshold the recovery reduces to
     * @param pipe           bytes in flight after the ACK
     * @param deliveredData  bytes the ACK newly acknowledged or SACKed (RFC 6937 DeliveredData)
     * @param safeAck        the ACK advanced SND.UNA and marked nothing newly lost
     * @param mss            the sender's segment size
     * @return the new congestion window: pipe + sndcnt, at least one segment; {@code cwnd} unchanged
     *         when nothing was delivered
     */
    int cwnd(int cwnd, int ssthresh, int pipe, int deliveredData, boolean safeAck, int mss) {
        if (deliveredData <= 0 || recoverFs <= 0) {
            return cwnd;
        }
        delivered += deliveredData;
        long delta = (long) ssthresh - pipe;
        long sndcnt;
        if (delta < 0) {
            // Proportional: CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out.
            sndcnt = (ssthresh * delivered + recoverFs - 1) / recoverFs - out;
        } else {
            // Linux: PRR-CRB, plus one segment (PRR-SSRB) only on an ACK that is safe.
            sndcnt = Math.max(delivered - out, deliveredData) + (safeAck ? mss : 0);
            sndcnt = Math.min(delta, sndcnt);
        }
        if (sndcnt > 0) {
            sndcnt = (sndcnt + mss - 1) / mss * mss;
        }
        sndcnt = Math.max(sndcnt, out == 0 ? mss : 0); // Linux: force the fast retransmit
        return (int) Math.max(mss, Math.min(Integer.MAX_VALUE, pipe + sndcnt));
    }
}
