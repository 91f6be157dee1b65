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
        h.advance(Receiver.DELAYED_ACK_NANOS); // Linux tcp_fin(): the ACK of a FIN in ESTABLISHED is delayed
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

    /**
     * Our side 2^31 bytes after its ISS (after 2 GiB sent): the connection is moved to two
     * segments before that point, then real writes and ACKs carry it across. Comparisons with ISS
     * turn there (RFC 9293 §3.4), so "our SYN is acknowledged" must not be one.
     */
    @Test
    void sendingGoesOnPast2GiBFromOurIss() {
        TcbHarness h = new TcbHarness().established();
        int start = twoSegmentsBefore2GiB(h);
        for (int i = 0; i < 4; i++) {
            int seq = start + i * 1460;
            h.write(SEGMENT);
            h.expect(seg().seq(seq).ack(TcbHarness.P + 1).win(WIN).payload(SEGMENT).psh());
            h.send(seg().seq(TcbHarness.P + 1).ack(seq + 1460).win(WIN));
        }
        assertEquals(start + 4 * 1460, h.conn.sndUna());
    }

    /** Three duplicate ACKs still start fast retransmit 2 GiB after the last recovery (RFC 6582 "recover"). */
    @Test
    void fastRetransmitStillStartsPast2GiBFromOurIss() {
        TcbHarness h = new TcbHarness().established();
        int start = twoSegmentsBefore2GiB(h);
        for (int i = 0; i < 2; i++) {
            h.write(SEGMENT);
            h.drain();
            h.send(seg().seq(TcbHarness.P + 1).ack(start + (i + 1) * 1460).win(WIN));
        }
        int first = start + 2 * 1460;
        h.write(SEGMENT.repeat(4));
        h.drain();
        for (int i = 0; i < 3; i++) {
            h.send(seg().seq(TcbHarness.P + 1).ack(first).win(WIN));
        }
        h.expect(seg().seq(first).ack(TcbHarness.P + 1).win(WIN).payload(SEGMENT));
        assertEquals(1, h.layer.counters().fastRetransmits());
    }

    private static final String SEGMENT = "w".repeat(1460);

    /** Puts every send-side sequence variable two segments before ISS + 2^31, as after 2 GiB sent; returns it. */
    private static int twoSegmentsBefore2GiB(TcbHarness h) {
        int at = h.iss + 1 + Integer.MAX_VALUE - 2 * 1460;
        Tcb tcb = h.conn.tcb;
        tcb.sndUna = at;
        tcb.sndNxt = at;
        tcb.sndQueueSeq = at;
        tcb.rtxNxt = at;
        tcb.sndWl2 = at;
        return at;
    }
}
