package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/** ICMP errors quoting a connection's segments (RFC 1122 §4.2.3.9, RFC 5927). */
final class IcmpInput {
    private IcmpInput() {
    }

    /**
     * An ICMP destination unreachable quoting one of our segments: Linux tcp_v4_err() fails an
     * opening connection at once, except that a listener's request is dropped only for the codes
     * it calls fatal; later it is a soft error reported on timeout.
     */
    static void unreachable(TcpConnection c, TcpError err, boolean fatal) {
        TcpState state = c.state();
        if (state == TcpState.SYN_SENT || (state == TcpState.SYN_RECEIVED && c.parent == null)) {
            c.fail(err);
        } else if (state == TcpState.SYN_RECEIVED) {
            if (fatal) {
                c.host.counters.listenDrops++;
                c.release();
            }
        } else {
            c.softError = err;
        }
        c.fireEvents();
    }

    /** Whether an ICMP error's quoted sequence number is one we sent (Linux: SND.UNA..SND.NXT). */
    static boolean quotesOurSegment(TcpConnection c, int seq) {
        return c.parent != null && c.state() == TcpState.SYN_RECEIVED
                ? seq == c.tcb.iss : Seq.ge(seq, c.tcb.sndUna) && Seq.le(seq, c.tcb.sndNxt);
    }
}
