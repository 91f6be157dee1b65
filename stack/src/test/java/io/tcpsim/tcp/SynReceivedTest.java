package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A listener's child in SYN_RECEIVED (Linux request-sock rules, RFC 9293 §3.10.7.4 fifth). */
class SynReceivedTest {
    private final TcbHarness h = new TcbHarness().synReceived();

    private Seg synAck() {
        return seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7);
    }

    @Test
    void synReceivedAckEstablishesAndQueuesForAccept() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(1, h.listener.acceptQueueLength());
        assertEquals(0, h.listener.synQueueLength());
        assertEquals(h.conn, h.listener.accept());
        assertEquals(WIN << 7, h.conn.sndWnd());
        assertEquals(1, h.layer.counters().passiveOpens());
        assertEquals(1, h.layer.counters().currEstab());
    }

    @Test
    void synReceivedAckOfUnsentSequenceGetsResetAndStaysHalfOpen() {
        h.send(seg().seq(P + 1).ack(h.iss + 5).win(WIN));
        h.expect(seg().rst().seq(h.iss + 5));
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void synReceivedAckOfIssGetsReset() {
        h.send(seg().seq(P + 1).ack(h.iss).win(WIN));
        h.expect(seg().rst().seq(h.iss));
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void synReceivedRetransmittedSynGetsTheSynAckAgain() {
        h.at(ms(300)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expectAt(ms(300), synAck());
        assertEquals(1, h.layer.counters().retransSegs());
    }

    @Test
    void synReceivedSecondRetransmittedSynWithin500msIsRateLimited() {
        h.at(ms(100)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expect(synAck());
        h.at(ms(400)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expectNothing();
        h.at(ms(600)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expect(synAck());
    }

    @Test
    void synReceivedRetransmittedSynRestartsTheSynAckTimer() {
        h.at(ms(900)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expect(synAck());
        h.at(secs(1.899));
        h.expectNothing();
        h.at(secs(1.9));
        h.expectAt(secs(1.9), synAck());
    }

    @Test
    void synReceivedSynAckIsRetransmittedAt1_3_7_15_31sThenDroppedAt63s() {
        h.at(secs(62.9));
        for (double t : new double[] {1, 3, 7, 15, 31}) {
            h.expectAt(secs(t), synAck());
        }
        h.expectNothing();
        h.expectState(TcpState.SYN_RECEIVED);
        h.at(secs(63));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(0, h.listener.synQueueLength());
        assertEquals(0, h.layer.counters().attemptFails());
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().rst().seq(h.iss + 1));
    }

    @Test
    void synReceivedFewerSynAckRetriesFromConfig() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withSynAckRetries(2)).synReceived();
        f.at(secs(10));
        f.expectAt(secs(1), seg().syn().seq(f.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7));
        f.expectAt(secs(3), seg().syn().seq(f.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7));
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
    }

    @Test
    void synReceivedRstInWindowDropsTheRequestSilently() {
        h.send(seg().rst().seq(P + 100));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(0, h.listener.synQueueLength());
        assertEquals(1, h.layer.counters().attemptFails());
    }

    @Test
    void synReceivedRstOutsideWindowIsIgnored() {
        h.send(seg().rst().seq(P + 100_000));
        h.expectNothing();
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void synReceivedNewSynInWindowGetsResetAndEndsTheRequest() {
        h.send(seg().syn().seq(P + 10).win(65535).mss(1460));
        h.expect(seg().rst().seq(0).ack(P + 11));
        h.expectState(TcpState.CLOSED);
        assertEquals(1, h.layer.counters().attemptFails());
    }

    @Test
    void synReceivedSegmentOutsideWindowGetsAckWithTheSynAckWindow() {
        h.send(seg().seq(P + 100_000).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(SYN_WIN >> 7));
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void synReceivedSegmentWithoutAckIsDropped() {
        h.send(seg().seq(P + 1).win(WIN).payload("data"));
        h.expectNothing();
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void synReceivedAckCarryingDataEstablishesAndDeliversIt() {
        h.send(seg().psh().seq(P + 1).ack(h.iss + 1).win(WIN).payload("hello"));
        h.expect(seg().seq(h.iss + 1).ack(P + 6).win(WIN));
        assertEquals(h.conn, h.listener.accept());
        assertEquals("hello", h.readAll());
    }

    @Test
    void synReceivedAckCarryingFinGoesToCloseWait() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSE_WAIT);
        assertEquals(h.conn, h.listener.accept());
        assertEquals(-1, h.conn.read(new byte[10], 0, 10, h.now()));
    }

    @Test
    void synReceivedPeerWindowScaleAbove14IsUsedAs14() {
        TcbHarness f = new TcbHarness().listening();
        f.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(15));
        TcpConnection c = f.layer.connection(f.tuple());
        f.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7));
        assertEquals(14, c.sndWscale());
    }

    @Test
    void synReceivedHalfOpenIsNotAcceptable() {
        assertNull(h.listener.accept());
        assertEquals(1, h.listener.synQueueLength());
    }
}
