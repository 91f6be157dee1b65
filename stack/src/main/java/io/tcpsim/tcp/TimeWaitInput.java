package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;

/**
 * Segments for a connection in TIME_WAIT (RFC 9293 §3.10.7.4), as Linux
 * tcp_timewait_state_process() handles them; checked against Linux 6.18 in a namespace.
 */
final class TimeWaitInput {
    private TimeWaitInput() {
    }

    /**
     * PAWS first (RFC 7323 §5.3, Linux tcp_paws_reject(): no slack, a RST within 60 s of TS.Recent
     * checked too). A bare ACK or a RST at RCV.NXT that passes is in window: the ACK restarts the
     * 2 MSL timer silently, the RST closes (RFC 9293 second step; Linux with tcp_rfc1337=0) or is
     * ignored (RFC 1337); its TSval becomes TS.Recent. Any other RST is ignored. Everything else
     * gets an ACK (rate limited unless it carries data), and with ACK set, or rejected by PAWS,
     * restarts the timer (RFC 9293 eighth step: "restart the 2 MSL time-wait timeout"). A SYN that
     * reopens the connection never gets here ({@link #isNewerSyn}). With
     * {@link TcpConfig#timeWaitNeedsAck} (FreeBSD tcp_twcheck()) a segment without ACK that is not
     * a RST is dropped first, without a reply.
     */
    static void onTimeWait(TcpConnection c, TcpRepr seg, long now) {
        long twoMsl = c.host.config.timeWait().toNanos();
        boolean rst = seg.hasFlags(TcpPacket.RST);
        if (!rst && !seg.hasFlags(TcpPacket.ACK) && c.host.config.timeWaitNeedsAck()) {
            return;
        }
        boolean pawsReject = Paws.rejectsStrictly(c.tcb, seg, c.tcb.ts.recentAt, now);
        if (!pawsReject && seg.seq() == c.tcb.rcvNxt && (seg.segLen() == 0 || rst)) {
            if (!rst) {
                // Linux: a bare in-window ACK restarts TIME_WAIT without a reply.
                c.timeWaitAt = now + twoMsl;
            } else if (!c.host.config.rfc1337()) {
                c.release();
                return;
            }
            if (c.tcb.ts.ok && seg.hasTimestamps()) {
                c.tcb.ts.store(seg.tsVal(), now);
            }
            return;
        } else if (rst) {
            return; // Linux: a RST elsewhere is ignored, no challenge ACK
        }
        if (seg.hasFlags(TcpPacket.ACK) || pawsReject) {
            c.timeWaitAt = now + twoMsl;
        }
        if (!OutOfWindowAcks.limited(c, seg, now)) {
            c.host.send(c.tuple(), c.tcb.ack(now));
        }
    }

    /**
     * A SYN that may reopen this TIME_WAIT connection (RFC 1122 §4.2.2.13; RFC 6191 §2 with
     * timestamps; Linux tcp_timewait_state_process(): no ACK, no RST, not rejected by PAWS, and a
     * sequence number after RCV.NXT or a TSval newer than TS.Recent).
     */
    static boolean isNewerSyn(TcpConnection c, TcpRepr seg, long now) {
        if (!mayReopen(c, seg) || Paws.rejectsStrictly(c.tcb, seg, c.tcb.ts.recentAt, now)) {
            return false;
        }
        boolean newerTs = c.tcb.ts.ok && seg.hasTimestamps()
                && c.tcb.ts.recent - seg.tsVal() < 0;
        return Seq.gt(seg.seq(), c.tcb.rcvNxt) || newerTs;
    }

    /**
     * Whether {@code seg} could reopen {@code c} at all, before any check that needs the listener:
     * a bare SYN (no RST, no ACK) in TIME_WAIT. Everything else goes to the connection.
     */
    static boolean mayReopen(TcpConnection c, TcpRepr seg) {
        int controls = seg.flags() & (TcpPacket.SYN | TcpPacket.RST | TcpPacket.ACK);
        return c.state() == TcpState.TIME_WAIT && controls == TcpPacket.SYN;
    }

    /** The ISN of the reopened connection: Linux tw_snd_nxt + 65535 + 2, never 0. */
    static int reopenIss(TcpConnection c) {
        int iss = c.tcb.sndNxt + 0xFFFF + 2;
        return iss == 0 ? 1 : iss;
    }
}
