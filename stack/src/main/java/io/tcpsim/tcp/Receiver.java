package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Segment text in the receiving states (RFC 9293 §3.10.7.4 seventh step): in-order bytes to the
 * receive buffer, bytes beyond a gap to the out-of-order queue ({@link Reassembly}) until the gap
 * fills, and when to acknowledge: at once for out-of-order data or a filled hole (RFC 5681 §4.2),
 * for the first segments of a connection (Linux quick-ack) and for every second full-sized
 * segment (RFC 1122 §4.2.3.2, RFC 5681 §4.2); otherwise the delayed-ACK timer, 40 ms (Linux
 * TCP_DELACK_MIN; RFC 1122 allows up to 500 ms).
 */
final class Receiver {
    /** Linux TCP_DELACK_MIN: 40 ms. */
    static final long DELAYED_ACK_NANOS = 40_000_000L;
    /** Linux TCP_MAX_QUICKACKS. */
    static final int MAX_QUICKACKS = 16;

    private Receiver() {
    }

    /** Data of {@code seg} starting at or beyond RCV.NXT, taken as RFC 9293 §3.10.7.4 seventh step says. */
    static void onText(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        int len = (int) seg.payload().byteSize();
        boolean hadHoles = !tcb.outOfOrder.isEmpty();
        tcb.stats.lastDataRecvAt = now;
        measureRcvMss(tcb, len);
        startQuickAck(tcb);
        if (Seq.gt(seg.seq(), tcb.rcvNxt)) {
            tcb.stats.rcvOooPack++;
            queueOutOfOrder(c, seg, len);
            c.ackPending = true; // RFC 5681 §4.2: a duplicate ACK at once for out-of-order data
            return;
        }
        if (len > 0) {
            int skip = Seq.diff(tcb.rcvNxt, seg.seq());
            deliver(c, tcb.receiveQueue.append(seg.payload(), skip, len - skip));
        }
        drainOutOfOrder(c);
        if (hadHoles || !tcb.outOfOrder.isEmpty() || tcb.outOfOrderFin) {
            c.ackPending = true; // RFC 5681 §4.2: at once when a segment fills (part of) a gap
        } else if (len > 0) {
            ackOrDelay(c, now);
        }
    }

    /** RFC 1122 §4.2.3.2: the delayed-ACK timer fired; the ACK goes unless one has gone since. */
    static void onDelayedAckTimeout(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        tcb.delAckAt = Clock.NO_DEADLINE;
        if (c.state() != TcpState.CLOSED && tcb.rcvWup != tcb.rcvNxt) {
            c.host.send(c.tuple(), tcb.ack(now));
        }
    }

    /** The FIN that arrived beyond a gap, now that RCV.NXT reached it; false when it has not. */
    static boolean outOfOrderFinDue(Tcb tcb) {
        return tcb.outOfOrderFin && tcb.outOfOrder.isEmpty() && tcb.outOfOrderFinSeq == tcb.rcvNxt;
    }

    private static void queueOutOfOrder(TcpConnection c, TcpRepr seg, int len) {
        Tcb tcb = c.tcb;
        // Only what will fit the receive buffer once the gap fills: what the window offered.
        int room = tcb.receiveQueue.free() - Seq.diff(seg.seq(), tcb.rcvNxt);
        int take = Math.min(len, room);
        if (take > 0) {
            tcb.outOfOrder.add(seg.seq(), seg.payload(), 0, take);
        }
        int end = Seq.add(seg.seq(), len);
        if (seg.hasFlags(TcpPacket.FIN) && take == len && !tcb.finReceived) {
            tcb.outOfOrderFin = true; // Linux: the FIN waits in the out-of-order queue too
            tcb.outOfOrderFinSeq = end;
        }
    }

    private static void drainOutOfOrder(TcpConnection c) {
        Tcb tcb = c.tcb;
        for (Reassembly.Block b = tcb.outOfOrder.takeAt(tcb.rcvNxt); b != null; b = tcb.outOfOrder.takeAt(tcb.rcvNxt)) {
            int taken = tcb.receiveQueue.append(MemorySegment.ofArray(b.data()), 0, b.data().length);
            deliver(c, taken);
            if (taken < b.data().length) {
                byte[] rest = Arrays.copyOfRange(b.data(), taken, b.data().length);
                tcb.outOfOrder.putBack(new Reassembly.Block(tcb.rcvNxt, rest));
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
            c.signalReadable();
        }
    }

    /**
     * Linux __tcp_ack_snd_check(): at once in quick-ack mode or with more than one full-sized
     * segment unacknowledged (RCV.NXT - RCV.WUP above the peer's MSS); else the delayed-ACK timer.
     */
    private static void ackOrDelay(TcpConnection c, long now) {
        Tcb tcb = c.tcb;
        if (tcb.quickAcks > 0) {
            tcb.quickAcks--;
            c.ackPending = true;
        } else if (Seq.diff(tcb.rcvNxt, tcb.rcvWup) > tcb.rcvMss) {
            c.ackPending = true;
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
