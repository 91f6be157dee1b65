package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.List;

/**
 * SACK-based loss recovery (RFC 6675) for a connection that negotiated SACK: incoming SACK blocks
 * checked as Linux tcp_sacktag_write_queue() checks them (D-SACK counted, bogus blocks ignored)
 * and recorded in the {@link SackScoreboard}; recovery entered on DupThresh duplicate ACKs or
 * when IsLost(HighACK + 1) holds, left once the cumulative ACK passes RecoveryPoint; what to send
 * again chosen by NextSeg() with the window counted as pipe. The ssthresh comes from the
 * congestion control algorithm. Linux itself detects loss with RACK-TLP and paces recovery with
 * PRR (RFC 6937); both are left out here.
 */
final class SackRecovery {
    /** Linux tcp_check_sack_reneging(): the shortened retransmission timer waits at least 10 ms. */
    static final long RENEGING_MIN_NANOS = 10_000_000L;

    private SackRecovery() {
    }

    /**
     * RFC 6675 §5 for an ACK at or above SND.UNA (SND.UNA already moved), {@code acked} bytes newly
     * acknowledged, 0 for a duplicate. Linux: entry is also tested when an ACK that moves SND.UNA
     * SACKs new data (tcp_fastretrans_alert() runs for it), not only on duplicate ACKs.
     */
    static void onAck(TcpConnection c, TcpRepr seg, int acked, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        board.discardBelow(tcb.sndUna);
        int newlySacked = update(c, seg);
        if (acked > 0) {
            tcb.dupAcks = 0; // RFC 6675 §5: a cumulative ACK resets DupAcks
            if (board.afterRto && Seq.gt(tcb.sndUna, tcb.recover)) {
                board.afterRto = false;
            }
            if (tcb.inRecovery && Seq.gt(tcb.sndUna, tcb.recover)) {
                tcb.inRecovery = false; // (A): cwnd stays ssthresh
            } else if (!tcb.inRecovery) {
                tcb.cc.onAck(tcb, acked, now);
            }
        } else if (isDuplicate(tcb, seg, newlySacked)) {
            tcb.dupAcks++;
        }
        boolean mayStart = !tcb.inRecovery && !board.afterRto && Seq.gt(tcb.sndUna, tcb.recover);
        if (mayStart && newlySacked > 0 && (tcb.dupAcks >= SackScoreboard.DUP_THRESH
                || board.isLost(tcb.sndUna, tcb.sndUna, tcb.effectiveMss()))) {
            startRecovery(c, now);
        }
    }

    /**
     * Linux tcp_check_sack_reneging(): a new ACK that stops at SACKed data means the receiver
     * dropped what it had SACKed; the retransmission timer is shortened to max(SRTT / 2, 10 ms)
     * so that the RTO, which then forgets the SACKs, comes soon.
     */
    static void checkReneging(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (tcb.scoreboard.isSacked(tcb.sndUna)) {
            long srtt = tcb.rtt.measured() ? tcb.rtt.srtt() : 0;
            c.rtoAt = now + Math.max(srtt / 2, RENEGING_MIN_NANOS);
        }
    }

    /**
     * An RTO (Linux tcp_timeout_mark_lost()): when SND.UNA itself is SACKed the receiver reneged,
     * so every SACK is forgotten (TcpExtTCPSACKReneging); otherwise the SACKed data stays SACKed and
     * everything else is lost, sent again from SND.UNA, SACKed ranges skipped. Linux: RFC 2018
     * §8 says the sender SHOULD turn off every SACKed bit after an RTO; Linux keeps them unless
     * reneging is detected. The segment at SND.UNA is sent again either way (RFC 2018 §8 MUST).
     */
    static void onTimeout(TcpConnection c) {
        SackScoreboard board = c.tcb.scoreboard;
        if (board.isSacked(c.tcb.sndUna)) {
            c.host.counters.sackReneging++;
            board.clear();
        }
        board.afterRto = true;
    }

    /**
     * What was lost, sent again: after an RTO go-back-N from RTX.NXT over the unSACKed data while
     * pipe is below cwnd (Linux tcp_xmit_retransmit_queue()); in recovery, NextSeg() rule 1: the
     * first unSACKed sequence number at or above HighRxt, below the highest SACKed byte, that
     * IsLost(), while cwnd - pipe >= 1 SMSS (RFC 6675 §5 (C)).
     */
    static boolean resendLost(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        if (board.afterRto) {
            return goBackN(c, mss, now);
        }
        boolean sent = false;
        while (tcb.inRecovery && tcb.cwnd - tcb.pipe() >= mss) {
            int s2 = board.skipSacked(Seq.gt(board.highRxt, tcb.sndUna) ? board.highRxt : tcb.sndUna);
            if (!Seq.lt(s2, board.highestSacked(tcb.sndUna)) || !board.isLost(s2, tcb.sndUna, tcb.effectiveMss())) {
                break;
            }
            resend(c, s2, mss, now);
            sent = true;
        }
        return sent;
    }

    /**
     * NextSeg() rules 3 and 4, once rule 2 (new data) found nothing to send: an unSACKed sequence
     * number at or above HighRxt below the highest SACKed byte, even if not yet lost; failing that,
     * once per recovery, a "rescue" segment ending at the highest unSACKed byte (RescueRxt set to
     * RecoveryPoint, HighRxt left alone). Rule 4 is read as meant for the tail the peer has not
     * SACKed: a highest unSACKed byte below HighRxt was already sent again in this recovery.
     */
    static boolean resendRest(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        boolean sent = false;
        while (tcb.inRecovery && tcb.cwnd - tcb.pipe() >= mss) {
            int s3 = board.skipSacked(Seq.gt(board.highRxt, tcb.sndUna) ? board.highRxt : tcb.sndUna);
            if (Seq.lt(s3, board.highestSacked(tcb.sndUna))) {
                resend(c, s3, mss, now);
                sent = true;
            } else {
                return sent || rescue(c, mss, now);
            }
        }
        return sent;
    }

    /** NextSeg() rule 4. */
    private static boolean rescue(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        int end = board.lastHoleEnd(tcb.sndNxt);
        if ((board.rescueUsed && !Seq.gt(tcb.sndUna, board.rescueRxt)) || !Seq.gt(end, board.highRxt)) {
            return false;
        }
        int start = board.holeStart(end, tcb.sndUna);
        if (Seq.diff(end, start) > mss) {
            start = Seq.sub(end, mss);
        }
        Transmitter.sendAt(c, start, Seq.diff(end, start), true, now);
        c.host.counters.fastRetransmits++;
        board.rescueRxt = tcb.recover;
        board.rescueUsed = true;
        return true;
    }

    /**
     * RFC 6675 §5 step 4: RecoveryPoint = HighData, ssthresh from the algorithm (FlightSize / 2
     * for Reno, RFC 5681 equation 4) and cwnd = ssthresh, the segment at SND.UNA sent again at
     * once, HighRxt after it.
     */
    private static void startRecovery(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        tcb.ssthresh = tcb.cc.ssthresh(tcb, now);
        tcb.cwnd = tcb.ssthresh;
        tcb.recover = Seq.sub(tcb.sndNxt, 1);
        tcb.inRecovery = true;
        tcb.scoreboard.startRecovery(tcb.sndUna);
        c.host.counters.sackRecovery++;
        resend(c, tcb.sndUna, tcb.currentMss(), now);
    }

    /** Sends again the unSACKed run at {@code seq}, at most {@code mss} bytes; HighRxt moves past it. */
    private static void resend(TcpConnection c, int seq, int mss, long now) {
        Tcb tcb = c.tcb;
        int len = Math.min(mss, Seq.diff(tcb.scoreboard.holeEnd(seq, tcb.sndNxt), seq));
        int used = Transmitter.sendAt(c, seq, len, true, now);
        tcb.scoreboard.highRxt = Seq.add(seq, used);
        c.host.counters.fastRetransmits++;
    }

    /** After an RTO: the unSACKed data from RTX.NXT on, while pipe is below cwnd. */
    private static boolean goBackN(TcpConnection c, int mss, long now) {
        Tcb tcb = c.tcb;
        SackScoreboard board = tcb.scoreboard;
        boolean sent = false;
        for (tcb.rtxNxt = board.skipSacked(tcb.rtxNxt); Seq.lt(tcb.rtxNxt, tcb.sndNxt) && tcb.pipe() < tcb.cwnd;
                tcb.rtxNxt = board.skipSacked(tcb.rtxNxt)) {
            int len = Math.min(mss, Seq.diff(board.holeEnd(tcb.rtxNxt, tcb.sndNxt), tcb.rtxNxt));
            tcb.rtxNxt = Seq.add(tcb.rtxNxt, Transmitter.sendAt(c, tcb.rtxNxt, len, true, now));
            sent = true;
        }
        return sent;
    }

    /**
     * RFC 6675 §2 DupAck: data outstanding, no payload, no SYN or FIN, SEG.ACK = SND.UNA, and
     * SACK blocks naming bytes not SACKed before (the window need not be the same).
     */
    private static boolean isDuplicate(Tcb tcb, TcpRepr seg, int newlySacked) {
        return newlySacked > 0 && tcb.sndUna != tcb.sndNxt && seg.payload().byteSize() == 0
                && !seg.hasFlags(TcpPacket.SYN) && !seg.hasFlags(TcpPacket.FIN) && seg.ack() == tcb.sndUna;
    }

    /**
     * RFC 6675 §4 Update(): the ACK's SACK blocks into the scoreboard. A first block below SEG.ACK,
     * or inside the second block, is a D-SACK (RFC 2883 §4; Linux tcp_check_dsack()), counted and
     * not taken as news of delivery; any other block must lie within SND.UNA..SND.NXT, start after
     * SND.UNA and not be reversed (Linux tcp_is_sackblock_valid()), else it is ignored and counted
     * in TcpExtTCPSACKDiscard, except the stale blocks of an old, reordered ACK.
     *
     * @return bytes newly SACKed
     */
    private static int update(TcpConnection c, TcpRepr seg) {
        List<SackBlock> blocks = seg.sackBlocks();
        if (blocks.isEmpty()) {
            return 0;
        }
        Tcb tcb = c.tcb;
        int newly = 0;
        for (int i = isDuplicateSack(c, blocks, seg.ack()) ? 1 : 0; i < blocks.size(); i++) {
            SackBlock b = blocks.get(i);
            if (valid(tcb, b)) {
                newly += tcb.scoreboard.add(b.left(), b.right());
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
