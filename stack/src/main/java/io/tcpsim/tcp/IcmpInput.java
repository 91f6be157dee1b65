package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/** ICMP errors quoting a connection's segments (RFC 1122 §4.2.3.9, RFC 5927). */
final class IcmpInput {
    /** RFC 8200 §5: no IPv6 link is smaller; a packet too big below it is ignored (Linux). */
    static final int IPV6_MIN_MTU = 1280;

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

    /**
     * A packet too big lowered the path MTU (Linux tcp_v6_mtu_reduced() and tcp_sync_mss()): the
     * send MSS becomes at most the MTU less the IPv6 and TCP headers; when it shrank, the data in
     * flight goes again in the smaller segments without the congestion response, as Linux's
     * tcp_simple_retransmit() (it was the path that failed, not congestion): with SACK, every
     * segment longer than the new MSS and not SACKed is marked lost and resent split; without,
     * everything from SND.UNA.
     */
    static void mtuReduced(TcpConnection c, int mtu, long now) {
        Tcb tcb = c.tcb;
        int mss = mtu - c.tuple().headerBytes();
        if (mss >= tcb.sndMss || c.state() == TcpState.LISTEN) {
            return;
        }
        tcb.sndMss = Math.max(Tcb.MIN_SND_MSS, mss);
        tcb.pathMtu = mtu;
        if (tcb.sackOk) {
            markLongerSegmentsLost(tcb.scoreboard, tcb.sendMss());
            Transmitter.transmit(c, now);
        } else if (Seq.lt(tcb.sndUna, tcb.sndNxt)) {
            tcb.rtxNxt = tcb.sndUna;
            Transmitter.transmit(c, now);
        }
        c.fireEvents();
    }

    private static void markLongerSegmentsLost(SackScoreboard board, int mss) {
        for (int i = 0; i < board.size(); i++) {
            if (Seq.diff(board.end(i), board.start(i)) > mss) {
                board.markLost(i);
            }
        }
    }

    /** Whether an ICMP error's quoted sequence number is one we sent (Linux: SND.UNA..SND.NXT). */
    static boolean quotesOurSegment(TcpConnection c, int seq) {
        return c.parent != null && c.state() == TcpState.SYN_RECEIVED
                ? seq == c.tcb.iss : Seq.ge(seq, c.tcb.sndUna) && Seq.le(seq, c.tcb.sndNxt);
    }
}
