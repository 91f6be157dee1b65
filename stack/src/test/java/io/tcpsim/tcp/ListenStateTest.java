package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.REMOTE_PORT;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 9293 §3.10.7.2, LISTEN STATE: what a listener does with each kind of segment. */
class ListenStateTest {
    private final TcbHarness h = new TcbHarness().listening();

    @Test
    void listenSynGetsSynAckEchoingSackAndWscaleWhenOffered() {
        h.send(seg().syn().seq(P).win(65535).mss(1460).sackOk().ts(7, 0).nop().wscale(9));
        TcpConnection c = h.layer.connection(h.tuple());
        // Linux tcp_synack_options() without timestamps (tcp_timestamps off here): mss,nop,nop,sackOK,nop,wscale.
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460).nop().nop().sackOk().nop().wscale(7));
        assertEquals(TcpState.SYN_RECEIVED, c.state());
        assertEquals(9, c.sndWscale());
        assertEquals(7, c.rcvWscale());
        assertEquals(1, h.listener.synQueueLength());
    }

    @Test
    void listenSynWithoutWscaleGetsSynAckWithMssOnly() {
        h.send(seg().syn().seq(P).win(65535).mss(1460));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460));
        assertEquals(0, c.sndWscale());
        assertEquals(0, c.rcvWscale());
    }

    @Test
    void listenAckGetsResetWithSeqOfItsAck() {
        h.send(seg().seq(5).ack(777).win(100));
        h.expect(seg().rst().seq(777));
        assertEquals(0, h.layer.connections().size());
    }

    @Test
    void listenSynAckGetsResetBecauseOfItsAck() {
        h.send(seg().syn().seq(P).ack(4242).win(100).mss(1460));
        h.expect(seg().rst().seq(4242));
    }

    @Test
    void listenRstIsIgnored() {
        h.send(seg().rst().seq(P));
        h.send(seg().rst().seq(P).ack(55));
        h.expectNothing();
    }

    @Test
    void listenSynRstIsIgnored() {
        h.send(seg().syn().rst().seq(P));
        h.expectNothing();
        assertEquals(0, h.listener.synQueueLength());
    }

    @Test
    void listenSynFinIsDroppedAsLinuxDoes() {
        h.send(seg().syn().fin().seq(P).win(100).mss(1460));
        h.expectNothing();
        assertEquals(0, h.listener.synQueueLength());
    }

    @Test
    void listenSegmentWithoutSynAckOrRstIsDropped() {
        h.send(seg().seq(P).win(100).payload("data"));
        h.send(seg().fin().seq(P).win(100));
        h.expectNothing();
    }

    @Test
    void listenSynWithDataAcknowledgesOnlyTheSyn() {
        h.send(seg().syn().seq(P).win(65535).mss(1460).payload("early"));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460));
    }

    @Test
    void listenOnWildcardAnswersForEveryLocalAddress() {
        TcbHarness w = new TcbHarness();
        w.layer.listen(0, 9000, 8);
        w.send(seg().syn().seq(P).win(65535).mss(1460).ports(REMOTE_PORT, 9000));
        TcpConnection c = w.layer.connection(new FourTuple(LOCAL, 9000, REMOTE, REMOTE_PORT));
        w.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460).ports(9000, REMOTE_PORT));
    }

    @Test
    void listenOnExactAddressDoesNotAnswerAnotherLocalAddress() {
        int otherLocal = LOCAL + 1;
        h.layer.input(REMOTE, otherLocal, seg().syn().seq(P).win(65535).mss(1460).build(REMOTE_PORT, LOCAL_PORT), 0);
        TcbHarness.Sent sent = h.expect(seg().rst().seq(0).ack(P + 1));
        assertEquals(new FourTuple(otherLocal, LOCAL_PORT, REMOTE, REMOTE_PORT), sent.tuple());
    }

    @Test
    void listenSynGetsSynAckFromTheListenPortToTheSender() {
        h.send(seg().syn().seq(P).win(65535).mss(1460));
        TcbHarness.Sent sent = h.expect(seg().syn().seq(h.layer.connection(h.tuple()).iss()).ack(P + 1).win(SYN_WIN)
                .mss(1460));
        assertEquals(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT), sent.tuple());
    }
}
