package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.List;

/**
 * Loss recovery for a connection that negotiated SACK, as Linux runs it (tcp_ack(),
 * tcp_fastretrans_alert() with net.ipv4.tcp_recovery = 1). Incoming SACK blocks are checked as
 * Linux tcp_sacktag_write_queue() checks them (D-SACK counted, bogus blocks ignored) and marked
 * on the {@link SackScoreboard}; {@link Rack} (RFC 8985 §6) finds the lost segments, lost
 * retransmissions included, in place of RFC 6675's DupThresh and IsLost(); recovery starts once
 * anything is marked lost and ends when the cumulative ACK passes the recovery point (RFC 6675
 * §5, Linux high_seq); during it {@link Prr} (RFC 6937) sets cwnd; the segments marked lost are
 * sent again in order while pipe is below cwnd (Linux tcp_xmit_retransmit_queue()), before new
 * data; a loss at the tail is probed by {@link TailLossProbe} (RFC 8985 §7). Linux has neither
 * of RFC 6675's NextSeg() rules 3 and 4 (forward and rescue retransmissions): RACK and the probe
 * do their work.
 */
final class SackRecovery {
    /** Linux tcp_check_sack_reneging(): the shortened retransmission timer waits at least 10 ms. */
    static final long RENEGING_MIN_NANOS = 10_000_000L;

    private SackRecovery() {
    }

    /**
     * An acceptable ACK (SND.UNA already moved; {@code acked} bytes newly acknowledged), in Linux
     * tcp_ack()'s order: SACK blocks, then the cumulative ACK, on the scoreboard; reordering and
     * the RTT; the reordering window; the tail loss probe; leaving recovery at the recovery point;
     * RACK's loss detection and entering recovery; cwnd (PRR in recovery, else the algorithm); the
     * timer (RACK's reorder timer, else the probe or the RTO when data was acknowledged).
     *
     * @param rttSampled the ACK already gave an RTT sample (else a SACKed segment may)
     */
    static void onAck(TcpConnection c, TcpRepr seg, boolean unaAdvanced, int acked, boolean rttSampled, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        Rack rack = tcb.rack;
        long deliveredBefore = board.delivered();
        long lostBefore = board.lost();
        boolean wasSacked = board.sackedSegments() > 0;
        int priorFack = board.highestSacked(tcb.sndUna);
        rack.beginAck(now, tcb.rtt.minRtt());
        int newlySacked = update(c, seg);
        rack.bySack(false);
        board.acknowledge(tcb.sndUna, rack);
        if (rack.checkReordering(wasSacked, priorFack, tcb.effectiveMss())) {
            c.host.counters.sackReorder++;
        }
        long sackRtt = rack.sackRttSample();
        if (!rttSampled && sackRtt >= 0) {
            tcb.rtt.sample(sackRtt); // Linux tcp_ack_update_rtt(): the SACK sample when no other
        }
        rack.updateReoWnd(board.delivered());
        tcb.tlp.onAck(c, !unaAdvanced && newlySacked == 0 && LossRecovery.isDuplicate(tcb, seg), now);
        countDuplicate(tcb, seg, unaAdvanced, newlySacked);
        leaveRecoveryAtRecoveryPoint(tcb);
        long reorderWait = rack.markLost(c, now);
        if (!tcb.inRecovery && !board.afterRto && board.lostBytes() > 0) {
            startRecovery(c, now);
        }
        if (tcb.inRecovery) {
            boolean safe = unaAdvanced && board.lost() == lostBefore;
            reduce(tcb, (int) (board.delivered() - deliveredBefore), safe);
        } else if (acked > 0) {
            tcb.cc.onAck(tcb, acked, now);
        }
        if (reorderWait > 0) {
            Retransmitter.arm(c, XmitTimer.REORDER, now + reorderWait);
        } else if (unaAdvanced && !TailLossProbe.schedule(c, now, true)) {
            Retransmitter.rearmRto(c, now); // Linux tcp_set_xmit_timer()
        }
        if (unaAdvanced) {
            checkReneging(c, now);
        }
    }

    /** RFC 6675 §2 DupAck counting, kept for TCP_INFO's Disorder state; a cumulative ACK resets it. */
    private static void countDuplicate(Tcb tcb, TcpRepr seg, boolean unaAdvanced, int newlySacked) {
        if (unaAdvanced) {
            tcb.dupAcks = 0;
        } else if (isDuplicate(tcb, seg, newlySacked)) {
            tcb.dupAcks++;
        }
    }

    /**
     * RFC 6675 §5 (A), Linux tcp_fastretrans_alert() D: once SND.UNA passes the recovery point,
     * recovery ends with cwnd = ssthresh (Linux tcp_end_cwnd_reduction()) and the after-RTO state
     * ends (Linux tcp_process_loss()); either way RACK counts one recovery.
     */
    private static void leaveRecoveryAtRecoveryPoint(Tcb tcb) {
        if (!Seq.gt(tcb.sndUna, tcb.recover)) {
            return;
        }
        if (tcb.inRecovery) {
            tcb.inRecovery = false;
            tcb.cwnd = tcb.ssthresh;
            tcb.rack.onRecoveryEnd();
        }
        if (tcb.scoreboard.afterRto) {
            tcb.scoreboard.afterRto = false;
            tcb.rack.onRecoveryEnd();
        }
    }

    /**
     * Linux tcp_check_sack_reneging(): a new ACK that stops at SACKed data means the receiver
     * dropped what it had SACKed; the retransmission timer is shortened to max(SRTT / 2, 10 ms)
     * so that the RTO, which then forgets the SACKs, comes soon.
     */
    static void checkReneging(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (tcb.scoreboard.headSacked()) {
            long srtt = tcb.rtt.measured() ? tcb.rtt.srtt() : 0;
            Retransmitter.arm(c, XmitTimer.RTO, now + Math.max(srtt / 2, RENEGING_MIN_NANOS));
        }
    }

    /**
     * An RTO (Linux tcp_timeout_mark_lost()): when SND.UNA itself is SACKed the receiver reneged,
     * so every SACK is forgotten (TcpExtTCPSACKReneging); the segment at SND.UNA and every other
     * segment sent at least RACK.rtt ago and not SACKed is marked lost (RFC 8985 §6.3; Linux
     * leaves out RACK.reo_wnd), to be sent again in order, the one at SND.UNA first even if a
     * retransmission of it is taken to be in flight. Linux: RFC 2018 §8 says the sender
     * SHOULD turn off every SACKed bit after an RTO; Linux keeps them unless reneging is detected.
     */
    static void onTimeout(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        boolean reneged = board.headSacked();
        if (reneged) {
            c.host.counters.sackReneging++;
            board.clearSacks();
        }
        for (int i = 0; i < board.size(); i++) {
            if ((reneged || i == 0 || tcb.rack.remaining(board.sentAt(i), 0, now) <= 0) && board.markLost(i)) {
                c.host.counters.lostRetransmit++;
            }
        }
        if (board.size() > 0 && board.is(0, SackScoreboard.RETRANS) && board.markLost(0)) {
            c.host.counters.lostRetransmit++; // Linux tcp_retransmit_timer(): the head goes again whatever its marks
        }
        board.afterRto = true;
        tcb.tlp.clear();
    }

    /**
     * RACK's reorder timer fired (RFC 8985 §6.2 step 5; Linux tcp_rack_reo_timeout()): losses are
     * detected again; when any is found, recovery starts (PRR letting out at least the fast
     * retransmission) unless under way, and the lost segments go; then the RTO, counted from when
     * the segment at SND.UNA was sent. Linux: RACK enters recovery from the after-RTO state too;
     * tcpsim stays in it and sends the lost segments within its window.
     */
    static void onReorderTimeout(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (!Transmitter.canSend(c) || tcb.sndUna == tcb.sndNxt) {
            tcb.xmitTimer = XmitTimer.RTO;
            return;
        }
        int priorPipe = tcb.pipe();
        tcb.rack.detectLoss(c, now);
        if (tcb.pipe() != priorPipe) {
            if (!tcb.inRecovery && !tcb.scoreboard.afterRto) {
                startRecovery(c, now);
                reduce(tcb, tcb.effectiveMss(), false); // Linux: tcp_cwnd_reduction(sk, 1, ...)
            }
            resendLost(c, tcb.currentMss(), now);
        }
        Retransmitter.rearmRto(c, now);
    }

    /**
     * What was lost, sent again (Linux tcp_xmit_retransmit_queue()): the segments marked lost and
     * not yet sent again, in sequence order, while cwnd - pipe >= 1 SMSS (RFC 6675 §5 (C)); one
     * longer than the MSS now is split. Sending the segment at SND.UNA again restarts the RTO
     * unless RACK's reorder timer runs.
     */
    static boolean resendLost(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        boolean sent = false;
        for (int i = board.nextToResend(0); i >= 0 && tcb.cwnd - tcb.pipe() >= mss; i = board.nextToResend(i + 1)) {
            int start = board.start(i);
            if (Math.min(Seq.diff(board.end(i), start), Seq.diff(tcb.dataEnd(), start)) > mss) {
                board.splitAt(Seq.add(start, mss));
            }
            Transmitter.sendAt(c, start, Seq.diff(board.end(i), start), true, now);
            if (!board.afterRto) {
                c.host.counters.fastRetransmits++;
            }
            if (i == 0 && tcb.xmitTimer != XmitTimer.REORDER) {
                Retransmitter.arm(c, XmitTimer.RTO, now + tcb.rtt.currentRto());
            }
            sent = true;
        }
        return sent;
    }

    /**
     * Recovery starts (Linux tcp_enter_recovery(), tcp_init_cwnd_reduction()): ssthresh from the
     * algorithm (FlightSize / 2 for Reno, RFC 5681 equation 4), PRR from the cwnd now, the
     * recovery point at the highest byte sent (RFC 6675 §5 step 4.1), any tail loss probe
     * forgotten.
     */
    private static void startRecovery(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        tcb.ssthresh = tcb.cc.ssthresh(tcb, now);
        tcb.prr.start(tcb.cwnd);
        tcb.recover = Seq.sub(tcb.sndNxt, 1);
        tcb.inRecovery = true;
        tcb.tlp.clear();
        c.host.counters.sackRecovery++;
    }

    /** RFC 6937 §3 on an ACK in recovery: cwnd = pipe + sndcnt. */
    private static void reduce(Tcb tcb, int deliveredData, boolean safeAck) {
        tcb.cwnd = tcb.prr.cwnd(tcb.cwnd, tcb.ssthresh, tcb.pipe(), deliveredData, safeAck, tcb.effectiveMss());
    }

    /**
     * RFC 6675 §2 DupAck: data outstanding, no payload, no SYN or FIN, SEG.ACK = SND.UNA, and
     * SACK blocks naming bytes not SACKed before (the window need not be the same).
     */
    private static boolean isDuplicate(Tcb tcb, TcpRepr seg, int newlySacked) {
        return newlySacked > 0 && tcb.sndUna != tcb.sndNxt && seg.payloadLength() == 0
                && !seg.hasFlags(TcpPacket.SYN) && !seg.hasFlags(TcpPacket.FIN) && seg.ack() == tcb.sndUna;
    }

    /**
     * RFC 6675 §4 Update(): the ACK's SACK blocks onto the scoreboard. A first block below
     * SEG.ACK, or inside the second block, is a D-SACK (RFC 2883 §4; Linux tcp_check_dsack()),
     * counted, told to RACK and the tail loss probe, and not taken as news of delivery; any other
     * block must lie within SND.UNA..SND.NXT, start after SND.UNA and not be reversed (Linux
     * tcp_is_sackblock_valid()), else it is ignored and counted in TcpExtTCPSACKDiscard, except
     * the stale blocks of an old, reordered ACK.
     *
     * @return bytes newly SACKed
     */
    private static int update(TcpConnection c, TcpRepr seg) {
        Tcb tcb = c.tcb;
        tcb.rack.bySack(true);
        List<SackBlock> blocks = seg.sackBlocks();
        if (blocks.isEmpty()) {
            return 0;
        }
        boolean duplicate = isDuplicateSack(c, blocks, seg.ack());
        if (duplicate) {
            SackBlock d = blocks.getFirst();
            tcb.rack.onDuplicateSack(tcb.tlp.onDuplicateSack(d.left(), d.right(), tcb.effectiveMss()));
        }
        int newly = 0;
        for (int i = duplicate ? 1 : 0; i < blocks.size(); i++) {
            SackBlock b = blocks.get(i);
            if (valid(tcb, b)) {
                newly += tcb.scoreboard.sack(b.left(), b.right(), tcb.rack);
            } else if (seg.ack() == tcb.sndUna || Seq.gt(b.right(), tcb.sndUna)) {
                c.host.counters.sackDiscard++; // Linux: not for an old ACK's stale blocks
            }
        }
        return newly;
    }

    /** Linux tcp_check_dsack(): TcpExtTCPDSACKRecv below SEG.ACK, TcpExtTCPDSACKOfoRecv inside block 2. */
    private static boolean isDuplicateSack(TcpConnection c, List<SackBlock> blocks, int ack) {
        SackBlock first = blocks.getFirst();
        if (Seq.lt(first.left(), ack)) {
            c.host.counters.dsackRecv++;
            return true;
        } else if (blocks.size() > 1) {
            SackBlock second = blocks.get(1);
            if (!Seq.gt(first.right(), second.right()) && !Seq.lt(first.left(), second.left())) {
                c.host.counters.dsackOfoRecv++;
                return true;
            }
        }
        return false;
    }

    /** Linux tcp_is_sackblock_valid() for a block that is no D-SACK. */
    private static boolean valid(Tcb tcb, SackBlock b) {
        return Seq.lt(b.left(), b.right()) && Seq.le(b.right(), tcb.sndNxt) && Seq.lt(b.left(), tcb.sndNxt)
                && Seq.gt(b.left(), tcb.sndUna);
    }
}
