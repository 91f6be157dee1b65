package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sequence numbers modulo 2^32 (RFC 9293 §3.4) across the handshake, data and FIN. */
class WraparoundTest {
    private static final int NEAR_END = -3;

    @Test
    void peerSequenceNumbersWrappingPastZeroAreInOrder() {
        TcbHarness h = new TcbHarness().listening();
        h.send(seg().syn().seq(NEAR_END).win(65535).mss(1460).nop().wscale(7));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(NEAR_END + 1).win(SYN_WIN).mss(1460).nop().wscale(7));
        h.send(seg().seq(NEAR_END + 1).ack(c.iss() + 1).win(WIN));
        h.send(seg().fin().seq(NEAR_END + 1).ack(c.iss() + 1).win(WIN).payload("wrapping"));
        h.expect(seg().seq(c.iss() + 1).ack(NEAR_END + 10).win(WIN));
        h.conn = c;
        assertEquals("wrapping", h.readAll());
        assertEquals(TcpState.CLOSE_WAIT, c.state());
    }

    @Test
    void dataOutOfOrderAcrossTheWrapIsStillOutOfOrder() {
        TcbHarness h = new TcbHarness().listening();
        h.send(seg().syn().seq(NEAR_END).win(65535).mss(1460).nop().wscale(7));
        TcpConnection c = h.layer.connection(h.tuple());
        h.drain();
        h.send(seg().seq(NEAR_END + 1).ack(c.iss() + 1).win(WIN));
        h.send(seg().seq(2).ack(c.iss() + 1).win(WIN).payload("after"));
        h.expect(seg().seq(c.iss() + 1).ack(NEAR_END + 1).win(WIN));
        assertEquals(0, c.readable());
    }

    @Test
    void transferAcrossTheWrapWithSwappedSegmentsArrivesWhole() {
        TcbHarness h = new TcbHarness().listening();
        int isn = -50_000;
        h.send(seg().syn().seq(isn).win(65535).mss(1460).nop().wscale(7));
        TcpConnection c = h.layer.connection(h.tuple());
        h.conn = c;
        h.send(seg().seq(isn + 1).ack(c.iss() + 1).win(WIN));
        StringBuilder expected = new StringBuilder();
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 60; i += 2) {
            String first = String.valueOf((char) ('A' + i % 26)).repeat(1460);
            String second = String.valueOf((char) ('a' + i % 26)).repeat(1460);
            int seq = isn + 1 + i * 1460;
            h.send(seg().seq(seq + 1460).ack(c.iss() + 1).win(WIN).payload(second));
            h.send(seg().seq(seq).ack(c.iss() + 1).win(WIN).payload(first));
            expected.append(first).append(second);
            got.append(h.readAll());
        }
        assertEquals(expected.toString(), got.toString());
        assertEquals(isn + 1 + 60 * 1460, c.rcvNxt());
    }
}
