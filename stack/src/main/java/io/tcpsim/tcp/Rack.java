package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/**
 * RACK loss detection (RFC 8985 §6) as Linux runs it when SACK is in use (tcp_recovery.c,
 * net.ipv4.tcp_recovery = 1): a segment is lost once a segment sent after it has been delivered
 * (SACKed, or cumulatively acknowledged) and it has waited RACK.rtt + RACK.reo_wnd since it was
 * sent. Retransmissions are judged by when they were sent like any other segment, so a lost
 * retransmission is found without waiting for the RTO. When segments still have time to wait,
 * the reorder timer (RFC 8985 §6.2 step 5) is set to look again.
 *
 * <p>The reordering window follows Linux tcp_rack_reo_wnd(): 0 while no reordering has been seen
 * and recovery is under way or DupThresh segments are SACKed (RFC 8985 §6.2 step 4 leaves this to
 * the implementation), else min_RTT / 4 per step, at most SRTT; the steps grow by one per round
 * trip in which a D-SACK arrived after reordering was seen and fall back to one after 16
 * recoveries without (RFC 8985 §6.2 step 4; Linux tcp_rack_update_reo_wnd()).
 */
final class Rack implements SackScoreboard.Delivery {
    /** Linux TCP_RACK_RECOVERY_THRESH: recoveries a widened reordering window is kept for. */
    static final int RECOVERY_THRESH = 16;
    /** Linux net.ipv4.tcp_max_reordering. */
    static final int MAX_REORDERING = 300;
    /** Linux: reo_wnd_steps is a u8. */
    static final int MAX_STEPS = 0xFF;

    /** RACK.xmit_ts and RACK.end_seq: the most recently sent segment delivered; RACK.rtt its RTT. */
    private boolean valid;
    private long xmitTs;
    private int endSeq;
    private long rtt;
    /** Linux rack.advanced: RACK moved since the last loss detection. */
    private boolean advanced;
    private int reoWndSteps = 1;
    private int reoWndPersist;
    private boolean dsackSeen;
    private long lastDelivered;
    /** Linux reord_seen and tp->reordering (DupThresh, in segments, grown by observed reordering). */
    private int reordSeen;
    private int reordering = LossRecovery.DUP_ACK_THRESHOLD;

    /** The ACK being processed: its time, the min RTT before it, and what it delivered. */
    private long ackNow;
    private long ackMinRtt;
    private boolean deliveredBySack;
    private boolean anyOriginal;
    private int lowestOriginal;
    private boolean anySackedOriginal;
    private long earliestSackedSentAt;
    private boolean anyDelivered;
    private long priorSentAt;
    private int priorEnd;
    private long priorDelivered;

    /** Linux tp->reordering, for TCP_INFO. */
    int reordering() {
        return reordering;
    }

    /** Starts the bookkeeping of one ACK's deliveries. */
    void beginAck(long now, long minRtt) {
        ackNow = now;
        ackMinRtt = minRtt;
        anyOriginal = false;
        anySackedOriginal = false;
        anyDelivered = false;
    }

    /**
     * RFC 8985 §6.2 step 2 (Linux tcp_rack_advance()) for one newly delivered segment, and what
     * the ACK's end needs: the lowest never-retransmitted segment delivered (reordering), the
     * earliest-sent never-retransmitted segment SACKed (an RTT sample), and the delivered count when
     * the most recently sent one went out (Linux rs->prior_delivered).
     */
    @Override
    public void delivered(int start, int end, int marks, long sentAt, long deliveredAt) {
        boolean everRetrans = (marks & SackScoreboard.EVER_RETRANS) != 0;
        if (!everRetrans) {
            if (!anyOriginal || Seq.lt(start, lowestOriginal)) {
                lowestOriginal = start;
            }
            anyOriginal = true;
            if (deliveredBySack && (!anySackedOriginal || sentAt < earliestSackedSentAt)) {
                earliestSackedSentAt = sentAt;
                anySackedOriginal = true;
            }
        }
        if (!anyDelivered || sentAfter(sentAt, end, priorSentAt, priorEnd)) {
            priorSentAt = sentAt;
            priorEnd = end;
            priorDelivered = deliveredAt;
            anyDelivered = true;
        }
        advance(everRetrans, end, sentAt);
    }

    /** Whether the deliveries now reported come from SACK blocks (else from the cumulative ACK). */
    void bySack(boolean sack) {
        deliveredBySack = sack;
    }

    /**
     * RFC 8985 §6.2 step 2: RACK.rtt and RACK.xmit_ts from a delivered segment. Linux: a
     * retransmitted segment delivered sooner than min_RTT after it was sent again is taken for the
     * delivery of an earlier transmission and ignored (RFC 8985 also uses the timestamps option).
     */
    private void advance(boolean everRetrans, int end, long sentAt) {
        long sample = ackNow - sentAt;
        if (everRetrans && (ackMinRtt < 0 || sample < ackMinRtt)) {
            return;
        }
        advanced = true;
        rtt = sample;
        if (!valid || sentAfter(sentAt, end, xmitTs, endSeq)) {
            valid = true;
            xmitTs = sentAt;
            endSeq = end;
        }
    }

    /**
     * The earliest-sent never-retransmitted segment this ACK SACKed, as an RTT sample (Linux
     * tcp_ack_update_rtt() falls back to sack_rtt_us); -1 when there is none.
     */
    long sackRttSample() {
        return anySackedOriginal ? ackNow - earliestSackedSentAt : -1;
    }

    /**
     * Linux tcp_check_sack_reordering(): a never-retransmitted segment below the highest SACKed
     * byte before this ACK was delivered only now, so the network reorders: reordering is seen,
     * DupThresh grows to the distance in segments (at most {@link #MAX_REORDERING}).
     */
    boolean checkReordering(boolean wasSacked, int priorFack, int mss) {
        if (!anyOriginal || !wasSacked || !Seq.lt(lowestOriginal, priorFack)) {
            return false;
        }
        int metric = Seq.diff(priorFack, lowestOriginal);
        if (mss > 0 && metric > reordering * mss) {
            reordering = Math.min((metric + mss - 1) / mss, MAX_REORDERING);
        }
        reordSeen++;
        return true;
    }

    /**
     * A D-SACK arrived (Linux tcp_dsack_seen()): after reordering has been seen it may mean that a
     * retransmission RACK caused was spurious, so the window may widen; not for the D-SACK of a
     * tail loss probe, which the timer sent, not RACK.
     */
    void onDuplicateSack(boolean ofLossProbe) {
        if (reordSeen > 0 && !ofLossProbe) {
            dsackSeen = true;
        }
    }

    /**
     * RFC 8985 §6.2 step 4, Linux tcp_rack_update_reo_wnd(): at most once per round trip (the
     * segment just delivered was sent after the last change) a D-SACK widens the window by one
     * step, kept for {@link #RECOVERY_THRESH} recoveries; after those it is one step again.
     */
    void updateReoWnd(long delivered) {
        if (!anyDelivered || priorDelivered == 0) {
            return; // Linux: !rs->prior_delivered
        }
        if (priorDelivered < lastDelivered) {
            dsackSeen = false;
        }
        if (dsackSeen) {
            reoWndSteps = Math.min(MAX_STEPS, reoWndSteps + 1);
            dsackSeen = false;
            lastDelivered = delivered;
            reoWndPersist = RECOVERY_THRESH;
        } else if (reoWndPersist == 0) {
            reoWndSteps = 1;
        }
    }

    /** A recovery ended without being undone (Linux tcp_try_undo_recovery()). */
    void onRecoveryEnd() {
        if (reoWndPersist > 0) {
            reoWndPersist--;
        }
    }

    /**
     * RACK.reo_wnd (Linux tcp_rack_reo_wnd()): 0 while no reordering was seen and the sender is in
     * recovery or after an RTO, or has DupThresh segments SACKed; else min_RTT / 4 times the steps,
     * at most SRTT.
     */
    long reoWnd(Tcb tcb) {
        if (reordSeen == 0 && (tcb.inRecovery || tcb.scoreboard.afterRto
                || tcb.scoreboard.sackedSegments() >= reordering)) {
            return 0;
        }
        long srtt = tcb.rtt.measured() ? tcb.rtt.srtt() : 0;
        long minRtt = tcb.rtt.minRtt();
        return minRtt < 0 ? srtt : Math.min(minRtt / 4 * reoWndSteps, srtt);
    }

    /**
     * Linux tcp_rack_mark_lost(): when RACK advanced, RFC 8985 §6.2 step 5 detects losses.
     *
     * @return the reorder timer's delay (the longest wait left, plus Linux's TCP_TIMEOUT_MIN), or 0
     */
    long markLost(TcpConnection c, long now) {
        if (!advanced) {
            return 0;
        }
        advanced = false;
        long wait = detectLoss(c, now);
        return wait > 0 ? wait + TcpConnection.TIMEOUT_MIN_NANOS : 0;
    }

    /**
     * RFC 8985 §6.2 step 5 (Linux tcp_rack_detect_loss()): every segment sent before RACK's that
     * is neither SACKed nor waiting, lost, for its retransmission is lost once RACK.rtt +
     * RACK.reo_wnd has passed since it was sent; otherwise the time it still has is remembered.
     * Linux walks its segments in the order they were sent and stops at the first sent after
     * RACK's; tcpsim walks them in sequence order, all of them.
     *
     * @return the longest time still to wait, 0 when none
     */
    long detectLoss(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        long reoWnd = reoWnd(tcb);
        long wait = 0;
        for (int i = 0; valid && i < board.size(); i++) {
            int marks = board.marks(i);
            if ((marks & SackScoreboard.SACKED) != 0 || (marks & (SackScoreboard.LOST | SackScoreboard.RETRANS))
                    == SackScoreboard.LOST || !sentAfter(xmitTs, endSeq, board.sentAt(i), board.end(i))) {
                continue;
            }
            long remaining = remaining(board.sentAt(i), reoWnd, now);
            if (remaining <= 0) {
                if (board.markLost(i)) {
                    c.host.counters.lostRetransmit++;
                }
            } else {
                wait = Math.max(wait, remaining);
            }
        }
        return wait;
    }

    /** Linux tcp_rack_skb_timeout(): what a segment sent at {@code sentAt} still has to wait. */
    long remaining(long sentAt, long reoWnd, long now) {
        return rtt + reoWnd - (now - sentAt);
    }

    /** RFC 8985 §6.2 (Linux tcp_skb_sent_after()): sent later, or at the same time but further in sequence. */
    static boolean sentAfter(long t1, int seq1, long t2, int seq2) {
        return t1 > t2 || (t1 == t2 && Seq.gt(seq1, seq2));
    }
}
