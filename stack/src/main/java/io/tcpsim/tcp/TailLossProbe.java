package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/**
 * The tail loss probe (RFC 8985 §7) as Linux sends it (tcp_schedule_loss_probe(),
 * tcp_send_loss_probe(), tcp_process_tlp_ack()). While a SACK connection has data outstanding
 * and nothing SACKed, lost or sent again, the retransmission timer is set for the probe timeout
 * PTO = 2 * SRTT, plus the delayed-ACK allowance (Linux: TCP_RTO_MIN, 200 ms) when one segment
 * is out, else plus Linux's TCP_TIMEOUT_MIN (2 ms), 1 s before any RTT sample, and never later
 * than the RTO would fire. When it fires, one segment goes: new data if the peer's window takes
 * it, past cwnd and Nagle, else the last segment sent, again; the ACK it draws lets SACK and
 * RACK repair a loss at the tail without waiting for the RTO. One probe at most is outstanding
 * (TLP.end_seq, Linux tlp_high_seq). When a retransmitted probe turns out to have repaired a loss
 * (a later ACK passes TLP.end_seq and no D-SACK said the original arrived) cwnd is reduced once,
 * to ssthresh (RFC 8985 §7.4; Linux enters and leaves CWR at once).
 */
final class TailLossProbe {
    private boolean outstanding;
    private int endSeq;
    /** Linux tlp_retrans: the probe sent data again rather than new data. */
    private boolean retransmitted;
    /** The ACK being processed carries a D-SACK of the probe (Linux FLAG_DSACK_TLP). */
    private boolean probeDuplicated;

    /**
     * RFC 8985 §7.2 (Linux tcp_schedule_loss_probe()): sets the probe timer when the connection is
     * open, after new data went out or an ACK acknowledged data.
     *
     * @param advancingRto the RTO restarts now (an ACK), so the cap is a whole RTO; else it is
     *                     counted from when the segment at SND.UNA was sent
     * @return whether the timer was set
     */
    static boolean schedule(TcpConnection c, long now, boolean advancingRto) {
        Tcb tcb = c.tcb;
        if (!tcb.sackOk || tcb.sndUna == tcb.sndNxt || !open(tcb)) {
            return false;
        }
        long pto;
        if (tcb.rtt.measured()) {
            // Linux: TCP_RTO_MIN as the delayed-ACK allowance for one segment, TCP_TIMEOUT_MIN else.
            long allowance = tcb.scoreboard.size() == 1 ? RttEstimator.RTO_MIN_NANOS : TcpConnection.TIMEOUT_MIN_NANOS;
            pto = 2 * tcb.rtt.srtt() + allowance;
        } else {
            pto = c.host.config.initialRto().toNanos(); // Linux: TCP_TIMEOUT_INIT
        }
        long rto = tcb.rtt.currentRto();
        long untilRto = advancingRto ? rto : tcb.scoreboard.headSentAt(now) + rto - now;
        if (untilRto > 0) {
            pto = Math.min(pto, untilRto);
        }
        Retransmitter.arm(c, XmitTimer.LOSS_PROBE, now + pto);
        return true;
    }

    /**
     * Linux: a probe only in TCP_CA_Open (or CWR): not in recovery or after an RTO, and nothing
     * SACKed, lost or sent again among the outstanding segments.
     */
    private static boolean open(Tcb tcb) {
        SackScoreboard board = tcb.scoreboard;
        return !tcb.inRecovery && !board.afterRto && board.sackedBytes() == 0 && board.lostBytes() == 0
                && board.retransBytes() == 0 && !(board.size() > 0 && board.is(0, SackScoreboard.EVER_RETRANS));
    }

    /**
     * RFC 8985 §7.3 (Linux tcp_send_loss_probe()): the probe timer fired. With a probe already
     * outstanding, or nothing to send, the RTO takes over; else one segment goes and the RTO is
     * restarted.
     */
    static void onTimeout(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        TailLossProbe tlp = tcb.tlp;
        if (!Transmitter.canSend(c) || tcb.sndUna == tcb.sndNxt) {
            tcb.xmitTimer = XmitTimer.RTO;
            return;
        }
        int mss = tcb.currentMss();
        if (tlp.outstanding) {
            Retransmitter.rearmRto(c, now);
            return;
        } else if (Transmitter.sendNewProbe(c, mss, now)) {
            tlp.retransmitted = false;
        } else if (resendLast(c, mss, now)) {
            tlp.retransmitted = true;
        } else {
            Retransmitter.rearmRto(c, now);
            return;
        }
        tlp.outstanding = true;
        tlp.endSeq = tcb.sndNxt;
        c.host.counters.lossProbes++;
        Retransmitter.arm(c, XmitTimer.RTO, now + tcb.rtt.currentRto());
    }

    /**
     * RFC 8985 §7.3: the last segment sent, at most one MSS of it, again. Linux sends it even when
     * the peer SACKed it.
     */
    private static boolean resendLast(TcpConnection c, int mss, long now) {
        SackScoreboard board = c.tcb.scoreboard;
        int last = board.size() - 1;
        if (last < 0) {
            return false;
        }
        int end = board.end(last);
        int start = board.start(last);
        if (Seq.diff(end, start) > mss) {
            start = Seq.sub(end, mss);
            board.splitAt(start);
        }
        Transmitter.sendAt(c, start, Seq.diff(end, start), true, now);
        return true;
    }

    /** A D-SACK block arrived: whether it reports the probe (Linux tcp_dsack_seen(): ends at TLP.end_seq, at most one MSS). */
    boolean onDuplicateSack(int left, int right, int mss) {
        probeDuplicated = outstanding && right == endSeq && Seq.diff(right, left) <= mss;
        return probeDuplicated;
    }

    /**
     * RFC 8985 §7.4 (Linux tcp_process_tlp_ack()), for an ACK at or beyond TLP.end_seq: a probe of
     * new data, or one the peer reports twice (a D-SACK, or a pure duplicate ACK), repaired nothing;
     * a retransmitted probe followed by an ACK beyond TLP.end_seq did, so cwnd comes down to the
     * new ssthresh.
     */
    void onAck(TcpConnection c, boolean pureDuplicate, long now) {
        Tcb tcb = c.tcb;
        boolean duplicated = probeDuplicated;
        probeDuplicated = false;
        if (!outstanding || Seq.lt(tcb.sndUna, endSeq)) {
            return;
        }
        if (!retransmitted || duplicated) {
            outstanding = false;
        } else if (Seq.gt(tcb.sndUna, endSeq)) {
            tcb.ssthresh = tcb.cc.ssthresh(tcb, now);
            tcb.cwnd = tcb.ssthresh;
            outstanding = false;
            c.host.counters.lossProbeRecovery++;
        } else if (pureDuplicate) {
            outstanding = false;
        }
    }

    /** Recovery or an RTO began: the probe no longer counts (Linux tcp_init_cwnd_reduction(), tcp_enter_loss()). */
    void clear() {
        outstanding = false;
    }
}
