package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * Protection against wrapped sequence numbers (RFC 7323 §5) for a synchronized connection, as
 * Linux tcp_validate_incoming() applies it, before the sequence number test (RFC 7323 §5.3 R1);
 * and the stricter form Linux applies in TIME_WAIT and to a listener's half-open request
 * ({@link #rejectsStrictly}).
 */
final class Paws {
    /** Linux TCP_PAWS_MSL: a RST with an old TSval passes once TS.Recent is this old. */
    static final long PAWS_MSL_NANOS = 60_000_000_000L;

    private Paws() {
    }

    /**
     * Linux tcp_paws_reject(), used by tcp_timewait_state_process() and tcp_check_req(): RFC 7323
     * §5.3 R1 with no tick of slack; a RST is rejected too unless TS.Recent, stored at
     * {@code recentAt}, is older than 60 s (Linux: RFC 7323 lets every RST through).
     */
    static boolean rejectsStrictly(Tcb tcb, TcpRepr seg, long recentAt, long now) {
        if (!tcb.ts.ok || !seg.hasTimestamps()) {
            return false;
        } else if (tcb.ts.pawsCheck(seg.tsVal(), 0, recentAt, now)) {
            return false;
        }
        // Linux: a RST is PAWS-checked here, within TCP_PAWS_MSL of TS.Recent.
        return !seg.hasFlags(TcpPacket.RST) || now - recentAt < PAWS_MSL_NANOS;
    }

    /**
     * RFC 7323 §5.3 R1: a segment whose TSval is older than TS.Recent (TS.Recent valid: set and
     * not idle for 24 days, §5.5) is not acceptable: an ACK in reply (rate limited, Linux
     * tcp_oow_rate_limited()) and dropped; counted in TcpExtPAWSEstab. A RST passes (§5.3 R1
     * "if the RST bit is not set"). Linux also lets through a TSval one tick old (TCP_PAWS_WINDOW)
     * and a duplicate ACK that is merely reordered (tcp_disordered_ack()).
     *
     * @return true when the segment was rejected
     */
    static boolean rejects(TcpConnection c, TcpRepr seg, long now) {
        Tcb tcb = c.tcb;
        if (!tcb.ts.ok || !seg.hasTimestamps() || seg.hasFlags(TcpPacket.RST)) {
            return false;
        }
        int tsVal = seg.tsVal();
        // Linux: TCP_PAWS_WINDOW of one tick and tcp_disordered_ack() soften RFC 7323's strict "<".
        if (tcb.ts.pawsCheck(tsVal, TcpTimestamps.PAWS_WINDOW, now) || disorderedAck(tcb, seg, tsVal)) {
            return false;
        }
        c.host.counters.pawsEstab++;
        if (!OutOfWindowAcks.limited(c, seg, now)) {
            Receiver.reportOldText(c, seg); // Linux: tcp_send_dupack()
            c.host.send(c.tuple(), tcb.ack(now));
        }
        return true;
    }

    /**
     * Linux tcp_disordered_ack(): a pure duplicate ACK at RCV.NXT that would not update the window,
     * with a TSval within 1.2 RTO (in ticks) of TS.Recent, is an ACK reordered in the network.
     */
    private static boolean disorderedAck(Tcb tcb, TcpRepr seg, int tsVal) {
        int window = seg.window() << tcb.sndWscale;
        boolean mayUpdateWindow = Seq.gt(seg.ack(), tcb.sndUna) || Seq.gt(seg.seq(), tcb.sndWl1)
                || (seg.seq() == tcb.sndWl1 && (window > tcb.sndWnd || window == 0));
        long replayTicks = tcb.rtt.currentRto() * 12 / 10 / TcpTimestamps.NANOS_PER_MS;
        return seg.hasFlags(TcpPacket.ACK) && seg.segLen() == 0 && seg.seq() == tcb.rcvNxt
                && seg.ack() == tcb.sndUna && !mayUpdateWindow && tcb.ts.recent - tsVal <= replayTicks;
    }
}
