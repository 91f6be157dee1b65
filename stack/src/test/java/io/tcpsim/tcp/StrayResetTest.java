package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.10.7.1 (CLOSED): a segment for no connection and no listener, answered as Linux
 * tcp_v4_send_reset() does (checked against Linux 6.18: SYN with data, bare FIN, bare ACK).
 */
class StrayResetTest {
    private final TcbHarness h = new TcbHarness();

    @Test
    void strayAckGetsRstWithSeqOfItsAckAndNoAckFlag() {
        h.send(seg().seq(7000).ack(1234).win(65535));
        TcbHarness.Sent sent = h.expect(seg().rst().seq(1234));
        assertEquals(new FourTuple(LOCAL, TcbHarness.LOCAL_PORT, REMOTE, TcbHarness.REMOTE_PORT), sent.tuple());
    }

    @Test
    void straySynGetsRstAckForTheSyn() {
        h.send(seg().syn().seq(1000).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().rst().seq(0).ack(1001));
    }

    @Test
    void straySynWithDataCountsTheDataToo() {
        h.send(seg().syn().seq(1000).win(65535).payload("abc"));
        h.expect(seg().rst().seq(0).ack(1004));
    }

    @Test
    void strayBareFinCountsTheFin() {
        h.send(seg().fin().seq(7000).win(65535));
        h.expect(seg().rst().seq(0).ack(7001));
    }

    @Test
    void strayDataWithoutAckCountsTheData() {
        h.send(seg().seq(5).win(65535).payload("12345678"));
        h.expect(seg().rst().seq(0).ack(13));
    }

    @Test
    void strayFinAckWithDataUsesTheAck() {
        h.send(seg().fin().psh().seq(5).ack(99).win(65535).payload("xy"));
        h.expect(seg().rst().seq(99));
    }

    @Test
    void strayRstIsNeverAnswered() {
        h.send(seg().rst().seq(5));
        h.send(seg().rst().seq(5).ack(6));
        h.send(seg().rst().syn().seq(5));
        h.expectNothing();
        assertEquals(0, h.layer.counters().outRsts());
    }

    @Test
    void straySequenceNumbersWrapModulo2To32() {
        h.send(seg().fin().seq(-1).win(65535).payload("a"));
        h.expect(seg().rst().seq(0).ack(1));
    }

    @Test
    void straySegmentsAreCountedInSegsOutSegsAndOutRsts() {
        h.send(seg().syn().seq(1000).win(65535));
        h.send(seg().seq(1).ack(2).win(65535));
        h.drain();
        assertEquals(2, h.layer.counters().inSegs());
        assertEquals(2, h.layer.counters().outSegs());
        assertEquals(2, h.layer.counters().outRsts());
    }

    @Test
    void strayToAPortWhoseConnectionClosedGetsRst() {
        TcbHarness f = new TcbHarness().established();
        f.conn.abort(f.now());
        f.drain();
        f.send(seg().seq(TcbHarness.P + 1).ack(f.iss + 1).win(TcbHarness.WIN).payload("x"));
        f.expect(seg().rst().seq(f.iss + 1));
    }
}
