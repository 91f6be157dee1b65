package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Simultaneous open (RFC 9293 §3.5 figure 8), simultaneous close (figure 13) and half-close. */
class SimultaneousTest {
    private final TcbHarness h = new TcbHarness().synSent();

    /** Our SYN and the peer's crossed: we are in SYN_RECEIVED, our SYN-ACK is out. */
    private void crossSyns() {
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().nop().sackOk().nop().wscale(7));
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void simultaneousOpenCrossingSynAckEstablishesAndIsAcknowledgedAsLinuxDoes() {
        crossSyns();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        // Linux: tcp_data_queue() sees the SYN-ACK end at RCV.NXT, a retransmission, and ACKs it at once.
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(List.of("established", "writable"), h.events);
        assertEquals(65535 << 7, h.conn.sndWnd());
    }

    @Test
    void simultaneousOpenPlainAckAlsoEstablishes() {
        crossSyns();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void simultaneousOpenSynAckIsRetransmittedOnTheSynTimer() {
        crossSyns();
        h.at(secs(1));
        h.expectAt(secs(1),
                seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().nop().sackOk().nop().wscale(7));
    }

    @Test
    void simultaneousOpenWithAPeerWithoutWindowScaleOffersShiftZero() {
        h.send(seg().syn().seq(P).win(65535).mss(1460));
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().nop().sackOk().nop().wscale(0));
        assertEquals(0, h.conn.rcvWscale());
    }

    @Test
    void simultaneousOpenAckOfUnsentSequenceGetsRst() {
        crossSyns();
        h.send(seg().seq(P + 1).ack(h.iss + 9).win(WIN));
        h.expect(seg().rst().seq(h.iss + 9));
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void simultaneousOpenRstAtRcvNxtResetsAsLinuxDoes() {
        crossSyns();
        h.send(seg().rst().seq(P + 1));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ECONNRESET, h.conn.error());
        assertEquals(1, h.layer.counters().attemptFails());
    }

    @Test
    void simultaneousOpenCloseBeforeTheAckSendsTheFinOnceTheSynIsAcknowledged() {
        crossSyns();
        h.conn.close(h.now());
        h.expectNothing();
        h.expectState(TcpState.FIN_WAIT_1);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().fin().seq(h.iss + 1).ack(P + 1).win(WIN));
    }

    @Test
    void simultaneousCloseGoesThroughClosingToTimeWait() {
        TcbHarness c = new TcbHarness().connected();
        c.conn.close(c.now());
        c.expect(seg().fin().seq(c.iss + 1).ack(P + 1).win(WIN));
        c.send(seg().fin().seq(P + 1).ack(c.iss + 1).win(WIN));
        c.expect(seg().seq(c.iss + 2).ack(P + 2).win(WIN));
        c.expectState(TcpState.CLOSING);
        c.send(seg().seq(P + 2).ack(c.iss + 2).win(WIN));
        c.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void halfCloseLetsThePeerKeepSendingUntilItsFin() {
        TcbHarness c = new TcbHarness().connected();
        c.write("request");
        c.expect(seg().psh().seq(c.iss + 1).ack(P + 1).win(WIN).payload("request"));
        c.conn.shutdownOutput(c.now());
        c.expect(seg().fin().seq(c.iss + 8).ack(P + 1).win(WIN));
        c.send(seg().seq(P + 1).ack(c.iss + 9).win(WIN));
        c.expectState(TcpState.FIN_WAIT_2);
        c.send(seg().psh().seq(P + 1).ack(c.iss + 9).win(WIN).payload("response"));
        c.expect(seg().seq(c.iss + 9).ack(P + 9).win(WIN));
        c.send(seg().fin().seq(P + 9).ack(c.iss + 9).win(WIN));
        c.expect(seg().seq(c.iss + 9).ack(P + 10).win(WIN));
        c.expectState(TcpState.TIME_WAIT);
        assertEquals("response", c.readAll());
        assertEquals(-1, c.conn.read(new byte[1], 0, 1, c.now()));
    }
}
