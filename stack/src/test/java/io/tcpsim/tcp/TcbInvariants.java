package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold in every TCB after every input, whatever the input (docs/robustness.md): the
 * send sequence variables in order (RFC 9293 §3.3.1: SND.UNA =< SND.NXT =< what was written plus
 * SYN and FIN), windows not negative, each buffer within its capacity and its memory within that
 * too, the out-of-order queue within its block limit and the receive buffer.
 */
public final class TcbInvariants {
    private TcbInvariants() {
    }

    /** The invariants {@code c} breaks; empty when it is sound. */
    public static List<String> violations(TcpConnection c) {
        Tcb t = c.tcb;
        List<String> v = new ArrayList<>();
        check(v, Seq.le(t.sndUna, t.sndNxt), "SND.UNA %d > SND.NXT %d", t.sndUna, t.sndNxt);
        int written = t.sendQueue.size() + 2; // the queue from SND.UNA on, plus SYN and FIN
        check(v, Seq.le(t.sndNxt, Seq.add(t.sndUna, written)), "SND.NXT %d past SND.UNA %d + %d written",
                t.sndNxt, t.sndUna, written);
        check(v, t.sndWnd >= 0, "SND.WND %d < 0", t.sndWnd);
        check(v, t.rcvWnd >= 0, "RCV.WND %d < 0", t.rcvWnd);
        check(v, t.sendQueue.size() <= t.sendQueue.capacity(), "send queue %d over its capacity %d",
                t.sendQueue.size(), t.sendQueue.capacity());
        check(v, t.receiveQueue.size() <= t.receiveQueue.capacity(), "receive queue %d over its capacity %d",
                t.receiveQueue.size(), t.receiveQueue.capacity());
        check(v, t.sendQueue.allocated() <= ByteRing.memoryBound(Math.max(t.sendQueue.capacity(), t.sendQueue.size())),
                "send memory %d over capacity %d", t.sendQueue.allocated(), t.sendQueue.capacity());
        check(v, t.receiveQueue.allocated() <= ByteRing.memoryBound(Math.max(t.receiveQueue.capacity(),
                t.receiveQueue.size())), "receive memory %d over capacity %d", t.receiveQueue.allocated(),
                t.receiveQueue.capacity());
        check(v, t.outOfOrder.blockCount() <= Reassembly.MAX_BLOCKS, "%d out-of-order blocks",
                t.outOfOrder.blockCount(), 0);
        check(v, t.outOfOrder.size() + t.receiveQueue.size() <= 2 * t.receiveQueue.capacity(),
                "out-of-order %d + queued %d bytes past twice the buffer %d", t.outOfOrder.size(),
                t.receiveQueue.size(), t.receiveQueue.capacity());
        boolean opening = c.state() == TcpState.SYN_SENT || c.state() == TcpState.SYN_RECEIVED;
        check(v, t.cwnd > 0 || opening, "cwnd %d once established", t.cwnd, 0); // set at establishment
        return v;
    }

    private static void check(List<String> v, boolean holds, String format, Object... args) {
        if (!holds) {
            v.add(String.format(format, args));
        }
    }
}
