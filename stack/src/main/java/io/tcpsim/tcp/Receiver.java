package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;

/**
 * Segment text in the receiving states (RFC 9293 §3.10.7.4 seventh step): in-order bytes to the
 * receive buffer, bytes beyond a gap to the out-of-order queue ({@link Reassembly}) until the gap
 * fills, and when to acknowledge: at once for out-of-order data or a filled hole (RFC 5681 §4.2),
 * for the first segments of a connection (Linux quick-ack) and for every second full-sized
 * segment (RFC 1122 §4.2.3.2, RFC 5681 §4.2); otherwise the delayed-ACK timer, 40 ms (Linux
 * TCP_DELACK_MIN; RFC 1122 allows up to 500 ms). With SACK, what is held out of order is reported
 * in SACK blocks and what arrived twice in a D-SACK block ({@link SackReport}). Linux: every ACK
 * for out-of-order data goes at once here; the kernel compresses those after the third
 * (tcp_comp_sack_nr, tcp_comp_sack_delay_ns).
 */
final class Receiver {
    /** Linux TCP_DELACK_MIN: 40 ms. */
    static final long DELAYED_ACK_NANOS = 40_000_000L;
    /** FreeBSD TCPTV_DELACK (net.inet.tcp.delacktime): 100 ms. */
    static final long BSD_DELAYED_ACK_NANOS = 100_000_000L;
    /** Linux TCP_MAX_QUICKACKS. */
    static final int MAX_QUICKACKS = 16;

    private Receiver() {
    }

    /** Data of {@code seg} starting at or beyond RCV.NXT, taken as RFC 9293 §3.10.7.4 seventh step says. */
    static void onText(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int len = seg.payloadLength();
        boolean hadHoles = !tcb.outOfOrder.isEmpty();
        tcb.stats.lastDataRecvAt = now;
        measureRcvRtt(tcb, seg, len, now);
        measureRcvMss(tcb, len);
        startQuickAck(tcb);
        if (Seq.gt(seg.seq(), tcb.rcvNxt)) {
            tcb.stats.rcvOooPack++;
            if (!mayCharge(c, len)) {
                c.host.counters.ofoDrop++; // Linux tcp_data_queue_ofo(): dropped, no ACK
                return;
            }
            queueOutOfOrder(c, seg, len);
            c.ackPending = true; // RFC 5681 §4.2: a duplicate ACK at once for out-of-order data
            return;
        }
        if (len > 0 && tcb.receiveQueue.size() > 0 && !mayCharge(c, len)) {
            c.host.counters.rcvQDrop++; // Linux tcp_data_queue(): dropped; an empty queue is always charged
            return;
        }
        if (len > 0) {
            int skip = Seq.diff(tcb.rcvNxt, seg.seq());
            if (skip > 0) {
                reportDuplicate(c, seg.seq(), tcb.rcvNxt); // RFC 2883 §4.2; Linux tcp_data_queue() partial
            }
            deliver(c, tcb.receiveQueue.append(seg.payloadSegment(), seg.payloadOffset() + skip, len - skip));
        }
        drainOutOfOrder(c);
        if (len > 0) {
            // Linux tcp_event_data_recv(): rcv_wnd counts from RCV.WUP, tcpsim's RCV.WND from RCV.NXT.
            tcb.drs.onInOrderData(tcb.rcvNxt, tcb.rcvWnd + Seq.diff(tcb.rcvNxt, tcb.rcvWup), now);
        }
        if (tcb.sackOk) {
            tcb.sackReport.onRcvNxt(tcb.rcvNxt, tcb.outOfOrder.isEmpty() && !tcb.outOfOrderFin);
        }
        if (hadHoles || !tcb.outOfOrder.isEmpty() || tcb.outOfOrderFin) {
            c.ackPending = true; // RFC 5681 §4.2: at once when a segment fills (part of) a gap
        } else if (len > 0 && !closesInPingpong(c, seg, len)) {
            ackOrDelay(c, len, now); // else the FIN's step decides, as Linux tcp_fin() runs first
        }
    }

    /** The segment's FIN is next and will move ESTABLISHED to CLOSE_WAIT: see {@link #ackFin}. */
    private static boolean closesInPingpong(TcpConnection c, TcpRepr seg, int len) {
        return c.state() == TcpState.ESTABLISHED && !c.host.config.bsdDelayedAck()
                && seg.hasFlags(TcpPacket.FIN) && Seq.add(seg.seq(), len) == c.tcb.rcvNxt;
    }

    /**
     * The ACK of a FIN that moved ESTABLISHED to CLOSE_WAIT. Linux tcp_fin() enters pingpong mode
     * there (inet_csk_enter_pingpong_mode()), in which __tcp_ack_snd_check() takes no quick ACK:
     * the ACK waits for the delayed-ACK timer (tcp_send_delayed_ack()), so our FIN carries it when
     * the application closes within that time. At once still: with more than one full-sized
     * segment unacknowledged, for a bare FIN on a zero window (tcp_data_queue():
     * tcp_try_rmem_schedule() fails, ICSK_ACK_NOW), and before any data came in (ato is still 0,
     * the timer due at the next jiffy). Pingpong mode changes nothing else here: no more text is
     * taken in CLOSE_WAIT, and a repeated FIN is acknowledged at once as any old segment
     * (tcp_enter_quickack_mode() leaves pingpong mode). FreeBSD's rules acknowledge a FIN at once
     * (tcp_input(): TF_ACKNOW).
     */
    static void ackFin(TcpConnection c, boolean bareOnZeroWindow, long now) {
        Tcb tcb = c.tcb;
        boolean noData = tcb.rcvNxt == Seq.add(tcb.irs, 2); // RCV.NXT past the SYN and the FIN only
        if (c.host.config.bsdDelayedAck() || bareOnZeroWindow || noData
                || Seq.diff(tcb.rcvNxt, tcb.rcvWup) > tcb.rcvMss) {
            c.ackPending = true;
        } else if (tcb.delAckAt == Clock.NO_DEADLINE) {
            tcb.delAckAt = now + DELAYED_ACK_NANOS;
        }
    }

    /**
     * Linux tcp_rcv_rtt_measure_ts(): the receiver's RTT from the TSecr, whole ticks only
     * (tcp_rtt_tsopt_us(tp, 0): a TSecr of this tick gives no sample).
     */
    private static void measureRcvRtt(Tcb tcb, TcpRepr seg, int len, long now) {
        if (tcb.ts.ok && seg.hasTimestamps()) { // per segment: no option object
            int tsEcr = seg.tsEcr();
            int ticks = tcb.ts.val(now) - tsEcr;
            tcb.drs.onTimestampEcho(tsEcr, len, tcb.rcvMss, ticks > 0 ? ticks * TcpTimestamps.NANOS_PER_MS : 0);
        }
    }

    /**
     * Linux tcp_try_rmem_schedule() against tcp_mem: when {@code len} more bytes would exceed its
     * max, the out-of-order queue is pruned from its highest sequence down (tcp_prune_queue(),
     * tcp_prune_ofo_queue(); the SACK blocks are forgotten) until they fit or it is empty.
     */
    private static boolean mayCharge(TcpConnection c, int len) {
        TcpMemory memory = c.host.memory;
        if (memory.mayCharge(len)) {
            return true;
        }
        Tcb tcb = c.tcb;
        c.host.counters.pruneCalled++;
        boolean pruned = false;
        while (!tcb.outOfOrder.isEmpty() && !memory.mayCharge(len)) {
            tcb.outOfOrder.dropLast();
            c.rechargeMemory();
            pruned = true;
        }
        if (pruned) {
            c.host.counters.ofoPruned++;
            tcb.outOfOrderFin = false;
            if (tcb.sackOk) {
                tcb.sackReport.reset();
            }
        }
        return memory.mayCharge(len);
    }

    /** RFC 1122 §4.2.3.2: the delayed-ACK timer fired; the ACK goes unless one has gone since. */
    static void onDelayedAckTimeout(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        tcb.delAckAt = Clock.NO_DEADLINE;
        if (c.state() != TcpState.CLOSED && tcb.rcvWup != tcb.rcvNxt) {
            c.host.send(c.tuple(), tcb.ack(now));
        }
    }

    /**
     * A segment with text below RCV.NXT that is answered with an ACK (Linux tcp_send_dupack(),
     * tcp_data_queue()): its old part is reported in a D-SACK block (RFC 2883 §4.1).
     */
    static void reportOldText(TcpConnection c, TcpRepr seg) {
        Tcb tcb = c.tcb;
        int end = Seq.add(seg.seq(), seg.segLen());
        if (seg.segLen() > 0 && Seq.lt(seg.seq(), tcb.rcvNxt)) {
            reportDuplicate(c, seg.seq(), Seq.lt(end, tcb.rcvNxt) ? end : tcb.rcvNxt);
        }
    }

    /**
     * RFC 2883 §4 (Linux tcp_dsack_set()): {@code [left, right)} arrived twice; the next segment
     * reports it first. Counted as TcpExtTCPDSACKOldSent below RCV.NXT, TcpExtTCPDSACKOfoSent above.
     */
    private static void reportDuplicate(TcpConnection c, int left, int right) {
        Tcb tcb = c.tcb;
        if (!tcb.sackOk || !tcb.dsackEnabled) {
            return;
        }
        if (Seq.lt(left, tcb.rcvNxt)) {
            c.host.counters.dsackOldSent++;
        } else {
            c.host.counters.dsackOfoSent++;
        }
        tcb.sackReport.setDuplicate(left, right);
    }

    /** Linux tcp_dsack_extend(): joins the pending D-SACK block, or starts one. */
    private static void extendDuplicate(TcpConnection c, SackBlock range) {
        Tcb tcb = c.tcb;
        if (tcb.sackOk && tcb.dsackEnabled && !tcb.sackReport.extendDuplicate(range.left(), range.right())) {
            reportDuplicate(c, range.left(), range.right());
        }
    }

    /** The FIN that arrived beyond a gap, now that RCV.NXT reached it; false when it has not. */
    static boolean outOfOrderFinDue(Tcb tcb) {
        return tcb.outOfOrderFin && tcb.outOfOrder.isEmpty() && tcb.outOfOrderFinSeq == tcb.rcvNxt;
    }

    /** Text that arrived before the connection is synchronized, held out of order until {@link #takeHeld}. */
    static void hold(TcpConnection c, TcpRepr seg) {
        queueOutOfOrder(c, seg, seg.payloadLength());
    }

    /**
     * Once ESTABLISHED: held text that starts at RCV.NXT is delivered, as FreeBSD's tcp_reass()
     * does when the handshake completes, and acknowledged as new data is.
     */
    static void takeHeld(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        int before = tcb.rcvNxt;
        drainOutOfOrder(c);
        if (tcb.sackOk) {
            tcb.sackReport.onRcvNxt(tcb.rcvNxt, tcb.outOfOrder.isEmpty() && !tcb.outOfOrderFin);
        }
        if (tcb.rcvNxt != before) {
            ackOrDelay(c, Seq.diff(tcb.rcvNxt, before), now);
        }
    }

    private static void queueOutOfOrder(TcpConnection c, TcpRepr seg, int len) {
        Tcb tcb = c.tcb;
        // Only what will fit the receive buffer once the gap fills: what the window offered.
        int room = tcb.receiveQueue.free() - Seq.diff(seg.seq(), tcb.rcvNxt);
        int take = Math.min(len, room);
        boolean pruned = false;
        if (take > 0) {
            SackBlock twice = tcb.outOfOrder.firstOverlap(seg.seq(), Seq.add(seg.seq(), take));
            if (twice != null) {
                reportDuplicate(c, twice.left(), twice.right()); // RFC 2883 §4.1.3, Linux tcp_data_queue_ofo()
            }
            pruned = tcb.outOfOrder.add(seg.seq(), seg.payloadSegment(), seg.payloadOffset(), take);
            if (pruned) {
                c.host.counters.ofoPruned++; // Linux tcp_prune_ofo_queue()
            }
        }
        int end = Seq.add(seg.seq(), len);
        boolean fin = seg.hasFlags(TcpPacket.FIN) && take == len && !tcb.finReceived;
        if (fin) {
            tcb.outOfOrderFin = true; // Linux: the FIN waits in the out-of-order queue too
            tcb.outOfOrderFinSeq = end;
        }
        if (tcb.sackOk) {
            reportHeld(tcb, seg.seq(), take + (fin ? 1 : 0), pruned);
        }
    }

    /**
     * RFC 2018 §4: the block holding the segment just queued goes first. Linux: the block covers
     * the FIN too (end_seq), and after the queue was pruned every block is forgotten
     * (tcp_prune_ofo_queue() resets them) but the new segment's, if it is still held.
     */
    private static void reportHeld(Tcb tcb, int seq, int length, boolean pruned) {
        if (pruned) {
            tcb.sackReport.reset();
        }
        if (length > 0 && (tcb.outOfOrder.holds(seq) || (length == 1 && tcb.outOfOrderFin))) {
            tcb.sackReport.onOutOfOrder(seq, Seq.add(seq, length));
        }
    }

    /**
     * Moves to the receive buffer what RCV.NXT reached. Held bytes the in-order segment brought
     * again are reported in a D-SACK block (RFC 2883 §4.2; Linux tcp_ofo_queue()). Linux: the
     * kernel's block runs from the held block's start to RCV.NXT even past the block's end; here it
     * covers the overlap only, as RFC 2883 describes.
     */
    private static void drainOutOfOrder(TcpConnection c) {
        Tcb tcb = c.tcb;
        SackBlock twice = tcb.outOfOrder.heldBelow(tcb.rcvNxt);
        if (twice != null) {
            extendDuplicate(c, twice);
        }
        for (Reassembly.Block b = tcb.outOfOrder.takeAt(tcb.rcvNxt); b != null; b = tcb.outOfOrder.takeAt(tcb.rcvNxt)) {
            int taken = tcb.receiveQueue.append(MemorySegment.ofArray(b.data()), b.offset(), b.length());
            deliver(c, taken);
            if (taken < b.length()) {
                tcb.outOfOrder.putBack(new Reassembly.Block(tcb.rcvNxt, b.data(), b.offset() + taken, b.length() - taken));
                return;
            }
        }
    }

    private static void deliver(TcpConnection c, int taken) {
        if (taken > 0) {
            Tcb tcb = c.tcb;
            tcb.rcvNxt = Seq.add(tcb.rcvNxt, taken);
            tcb.stats.bytesReceived += taken;
            tcb.rcvWnd = Math.max(0, tcb.rcvWnd - taken);
            if (tcb.discardInput) {
                tcb.receiveQueue.drop(taken); // FreeBSD after SHUT_RD (TcpConfig.shutdownReadDiscards)
                return;
            }
            c.signalReadable();
        }
    }

    /**
     * Linux __tcp_ack_snd_check(): at once in quick-ack mode or with more than one full-sized
     * segment unacknowledged (RCV.NXT - RCV.WUP above the peer's MSS); else the delayed-ACK timer.
     */
    private static void ackOrDelay(TcpConnection c, int len, long now) {
        Tcb tcb = c.tcb;
        if (c.host.config.bsdDelayedAck()) {
            bsdAckOrDelay(c, len, now);
            return;
        }
        if (tcb.quickAcks > 0) {
            tcb.quickAcks--;
            c.ackInOrderData();
        } else if (Seq.diff(tcb.rcvNxt, tcb.rcvWup) > tcb.rcvMss) {
            c.ackInOrderData();
        } else if (tcb.delAckAt == Clock.NO_DEADLINE) {
            tcb.delAckAt = now + DELAYED_ACK_NANOS;
        }
    }

    /** Linux tcp_measure_rcv_mss(): the largest segment seen, at most our MSS. */
    private static void measureRcvMss(Tcb tcb, int len) {
        if (len >= tcb.rcvMss) {
            tcb.rcvMss = Math.min(len, tcb.ourMss);
        }
    }

    /**
     * FreeBSD tcp_input() DELAY_ACK(): the delayed-ACK timer (TCPTV_DELACK, 100 ms) for a segment
     * of at most the MSS when none is pending; else, or for a larger segment, an ACK at once.
     */
    private static void bsdAckOrDelay(TcpConnection c, int len, long now) {
        Tcb tcb = c.tcb;
        if (tcb.delAckAt == Clock.NO_DEADLINE && len <= tcb.sendMss()) {
            tcb.delAckAt = now + BSD_DELAYED_ACK_NANOS;
        } else {
            c.ackPending = true;
        }
    }

    /**
     * Linux tcp_event_data_recv(), the first data of a connection: quick-ack mode for
     * min(max(RCV.WND / (2 * rcv_mss), 2), 16) ACKs (tcp_incr_quickack()).
     */
    private static void startQuickAck(Tcb tcb) {
        if (!tcb.quickAckStarted) {
            tcb.quickAckStarted = true;
            int quick = tcb.rcvWnd / (2 * Math.max(tcb.rcvMss, 1));
            tcb.quickAcks = Math.min(quick == 0 ? 2 : quick, MAX_QUICKACKS);
        }
    }
}
