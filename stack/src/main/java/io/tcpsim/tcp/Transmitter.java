package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.List;

/** What a connection sends on its own: queued data and FIN, window updates, retransmissions. */
final class Transmitter {
    private Transmitter() {
    }

    /**
     * Sends queued data within the peer's window in segments of at most SND.MSS (RFC 9293
     * §3.8.6.2.1; PSH on the segment that empties the queue, Linux tcp_push()), then the FIN,
     * piggybacked on the last data segment as Linux does. No Nagle and no silly window avoidance
     * yet; with a zero window the data waits (no persist timer yet).
     *
     * @return whether anything was sent
     */
    static boolean transmit(TcpConnection c, long now) {
        if (!canSend(c)) {
            return false;
        }
        Tcb tcb = c.tcb;
        boolean sent = false;
        int dataEnd = tcb.dataEnd();
        while (Seq.lt(tcb.sndNxt, dataEnd)) {
            int usable = Seq.diff(Seq.add(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
            if (usable <= 0) {
                break;
            }
            int len = Math.min(Math.min(tcb.sndMss, usable), Seq.diff(dataEnd, tcb.sndNxt));
            boolean last = Seq.add(tcb.sndNxt, len) == dataEnd;
            // Linux: PSH when the queue empties (tcp_push()); FIN rides on the last data segment (tcp_send_fin()).
            int flags = TcpPacket.ACK | (last ? TcpPacket.PSH : 0) | (last && tcb.finQueued ? TcpPacket.FIN : 0);
            int offset = Seq.diff(tcb.sndNxt, tcb.sndQueueSeq);
            c.host.send(c.tuple(), tcb.segment(tcb.sndNxt, flags, List.of(), tcb.sendQueue.copy(offset, len)));
            tcb.sndNxt = Seq.add(tcb.sndNxt, len + ((flags & TcpPacket.FIN) != 0 ? 1 : 0));
            sent = true;
        }
        if (tcb.finQueued && tcb.sndNxt == dataEnd) {
            c.host.send(c.tuple(), tcb.fin());
            tcb.sndNxt = Seq.add(dataEnd, 1);
            sent = true;
        }
        if (tcb.finSent() && c.rtoAt == Clock.NO_DEADLINE) {
            c.retransmits = 0;
            c.rtoAt = now + c.host.config.initialRto().toNanos();
        }
        return sent;
    }

    private static boolean canSend(TcpConnection c) {
        return c.tcb.synAcked() && switch (c.state()) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, LAST_ACK -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_2, CLOSING, TIME_WAIT -> false;
        };
    }

    /**
     * Linux tcp_cleanup_rbuf(): after a read, a window update when the offered window has fallen
     * to half the clamp or less and the new one is at least twice it (RFC 9293 §3.8.6.2.2).
     */
    static void updateWindowAfterRead(TcpConnection c) {
        Tcb tcb = c.tcb;
        boolean receiving = switch (c.state()) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> false;
        };
        int offered = tcb.rcvWnd;
        if (receiving && !tcb.finReceived && 2L * offered <= tcb.rcvWndClamp) {
            int available = Math.min(tcb.receiveQueue.free(), tcb.rcvWndClamp);
            if (available > 0 && available >= 2L * offered) {
                c.host.send(c.tuple(), tcb.ack());
            }
        }
    }

    /**
     * RTO expiry (RFC 6298 §5.5-5.6: back off, resend the earliest unacknowledged segment): the
     * SYN, SYN-ACK or FIN again, or, once the retries are spent, give up.
     */
    static void onRetransmitTimeout(TcpConnection c, long now) {
        c.rtoAt = Clock.NO_DEADLINE;
        Tcb tcb = c.tcb;
        TcpRepr again = switch (c.state()) {
            case SYN_SENT -> tcb.syn(TcpPacket.SYN, tcb.synOptions(c.host.config.windowScale()));
            case SYN_RECEIVED -> c.synAck();
            case FIN_WAIT_1, CLOSING, LAST_ACK -> tcb.fin();
            case CLOSED, LISTEN, ESTABLISHED, FIN_WAIT_2, CLOSE_WAIT, TIME_WAIT -> null;
        };
        if (again == null) {
            return;
        } else if (c.retransmits >= retryLimit(c)) {
            giveUp(c);
            return;
        }
        c.retransmits++;
        c.host.retransmit(c.tuple(), again);
        c.rtoAt = now + c.host.backoff(c.host.config.initialRto().toNanos(), c.retransmits);
    }

    /** tcp_syn_retries, tcp_synack_retries for a listener's request, else the FIN retry count. */
    private static int retryLimit(TcpConnection c) {
        TcpConfig config = c.host.config;
        if (c.state() == TcpState.SYN_SENT || (c.state() == TcpState.SYN_RECEIVED && c.parent == null)) {
            return config.synRetries();
        } else if (c.state() == TcpState.SYN_RECEIVED) {
            return config.synAckRetries();
        }
        return c.orphaned ? config.orphanRetries() : config.retries2();
    }

    /**
     * Retries spent: a listener's request is dropped silently (Linux reqsk_timer_handler()); a
     * connection fails with the ICMP error it kept, else ETIMEDOUT, without a RST (tcp_write_err()).
     */
    private static void giveUp(TcpConnection c) {
        if (c.parent != null && c.state() == TcpState.SYN_RECEIVED) {
            c.release(); // Linux: the request is dropped without a RST
        } else {
            c.fail(c.softError != null ? c.softError : TcpError.ETIMEDOUT);
        }
    }
}
