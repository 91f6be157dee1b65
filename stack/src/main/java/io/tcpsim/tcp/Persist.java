package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.List;

/**
 * The persist timer (RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17): while the peer's window is zero and
 * data waits, probe it, backing off exponentially up to RTO max, as Linux tcp_probe_timer() and
 * tcp_send_probe0() do. The connection is given up (ETIMEDOUT) after tcp_retries2 probes in a
 * row that got no answer; any ACK from the peer resets that count (Linux icsk_probes_out).
 */
final class Persist {
    private Persist() {
    }

    /** Linux tcp_probe0_when(): max(RTO, TCP_RTO_MIN) shifted by the probe backoff, at most RTO max. */
    static long interval(TcpConnection c) {
        long base = Math.max(c.tcb.rtt.baseRto(), RttEstimator.RTO_MIN_NANOS);
        long max = c.host.config.rtoMax().toNanos();
        long value = base;
        for (int i = 0; i < c.probeBackoff && value < max; i++) {
            value <<= 1;
        }
        return Math.min(value, max);
    }

    /**
     * The persist timer fired: when the window is still zero, a probe, Linux's form
     * (tcp_xmit_probe_skb()): an ACK with sequence SND.UNA - 1 and no data, which the peer must
     * answer with its window (RFC 9293 §3.10.7.4 first, unacceptable segment). When the window
     * is open (it opened meanwhile, or TCP_CORK / MSG_MORE held the data), the first segment goes
     * whatever Nagle and cork say (Linux tcp_write_wakeup()).
     */
    static void onTimeout(TcpConnection c, long now) {
        c.persistAt = Clock.NO_DEADLINE;
        Tcb tcb = c.tcb;
        if (!Transmitter.canSend(c) || tcb.sndUna != tcb.sndNxt || !Seq.lt(tcb.sndNxt, tcb.dataEnd())) {
            return;
        } else if (c.probesOut >= c.host.config.retries2()) {
            c.fail(c.softError != null ? c.softError : TcpError.ETIMEDOUT); // Linux: tcp_write_err()
            return;
        }
        if (tcb.sndWnd > 0) {
            Transmitter.transmit(c, now);
            if (tcb.sndUna == tcb.sndNxt) {
                Transmitter.sendHead(c, now);
            }
            return;
        }
        // Linux: tcp_xmit_probe_skb() probes with an old sequence number instead of RFC 9293's one byte.
        TcpRepr probe = tcb.segment(Seq.sub(tcb.sndUna, 1), TcpPacket.ACK, List.of(), TcpRepr.NO_PAYLOAD, now);
        c.host.send(c.tuple(), probe);
        c.probesOut++;
        c.probeBackoff++;
        c.persistAt = now + interval(c);
    }

    /** An ACK arrived: the peer is alive; an open window ends the backoff (Linux tcp_ack_probe()). */
    static void onAck(TcpConnection c) {
        c.probesOut = 0;
        if (c.tcb.sndWnd > 0) {
            c.probeBackoff = 0;
        }
    }
}
