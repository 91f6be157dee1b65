package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accepted connections whose peer offered SACK-permitted (RFC 2018 §2), for the SACK tests. */
final class SackFixtures {
    /** The peer's TSval throughout (timestamps fixtures). */
    static final int PEER_TS = 5000;

    private SackFixtures() {
    }

    /** The peer's SYN {@code <mss 1460,nop,nop,sackOK,nop,wscale 7>}, our SYN-ACK echoing SACK (our scale: the config's), the peer's ACK. */
    static TcbHarness establishedWithSack(TcbHarness h) {
        return establishedWithSack(h, 0);
    }

    /**
     * As {@link #establishedWithSack(TcbHarness)}, the peer's ACK {@code rtt} after our SYN-ACK and
     * at time 0: the handshake's RTT sample (RFC 6298 §2.2, Linux tcp_synack_rtt_meas()) is {@code rtt}.
     */
    static TcbHarness establishedWithSack(TcbHarness h, long rtt) {
        h.startAt(-rtt);
        h.listening();
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().nop().sackOk().nop().wscale(7));
        h.conn = h.layer.connection(h.tuple());
        h.iss = h.conn.iss();
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(h.synWin).mss(1460).nop().nop().sackOk().nop()
                .wscale(h.config.windowScale()));
        h.at(0);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        return accepted(h);
    }

    /**
     * As {@link #establishedWithSack(TcbHarness)}, but our SYN-ACK went twice (at 0 and 1 s), so
     * the handshake gives no RTT sample (Karn, RFC 6298 §3) and the RTO falls back to 3 s (§5.7).
     */
    static TcbHarness establishedWithSackWithoutRttSample(TcbHarness h) {
        h.listening();
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().nop().sackOk().nop().wscale(7));
        h.conn = h.layer.connection(h.tuple());
        h.iss = h.conn.iss();
        Seg synAck = seg().syn().seq(h.iss).ack(P + 1).win(h.synWin).mss(1460).nop().nop().sackOk().nop()
                .wscale(h.config.windowScale());
        h.expect(synAck);
        h.at(TcbHarness.secs(1));
        h.expectAt(TcbHarness.secs(1), synAck);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        return accepted(h);
    }

    /** As {@link #establishedWithSack} with timestamps: {@code <mss 1460,sackOK,TS val V ecr E,nop,wscale 7>}. */
    static TcbHarness establishedWithSackAndTimestamps(TcbHarness h) {
        h.listening();
        h.send(seg().syn().seq(P).win(65535).mss(1460).sackOk().ts(PEER_TS, 0).nop().wscale(7));
        h.conn = h.layer.connection(h.tuple());
        h.iss = h.conn.iss();
        int window = Math.min(Tcb.initialWindow(h.config.receiveBuffer(), 1460 - TcpTimestamps.ALIGNED_LENGTH),
                Tcb.MAX_WINDOW_FIELD);
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(window).mss(1460).sackOk().ts(h.tsVal(), PEER_TS).nop()
                .wscale(h.config.windowScale()));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PEER_TS, h.tsVal()));
        return accepted(h);
    }

    private static TcbHarness accepted(TcbHarness h) {
        h.expectNothing();
        h.listener.accept();
        h.record();
        assertTrue(h.conn.sackPermitted());
        h.expectState(TcpState.ESTABLISHED);
        return h;
    }
}
