package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The timestamps option (RFC 7323): negotiation, TSecr, RTTM (§4), PAWS (§5), MSS less 12 bytes. */
class TimestampsTest {
    /** The peer's TSval on its SYN. */
    private static final int PV = 5000;
    /** Our window field after a handshake with timestamps: 65160 (45 x 1448) rounded up to 128s. */
    private static final int TS_WIN = 510;
    private final TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(true));

    /** A listener's connection after the peer's SYN with timestamps (starting at peerIss), SYN-ACK and ACK. */
    private int establishedWithTimestamps(int peerIss) {
        h.listening();
        h.send(seg().syn().seq(peerIss).win(65535).mss(1460).nop().nop().ts(PV, 0).nop().wscale(7));
        h.conn = h.layer.connection(h.tuple());
        h.iss = h.conn.iss();
        h.expect(seg().syn().seq(h.iss).ack(peerIss + 1).win(45 * 1448).mss(1460).nop().nop().ts(h.tsVal(), PV)
                .nop().wscale(7));
        h.send(seg().seq(peerIss + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 1, h.tsVal()));
        h.listener.accept();
        h.expectNothing();
        return h.tsVal();
    }

    private Seg ourAck(int ack, int ecr) {
        return seg().seq(h.iss + 1).ack(ack).win(TS_WIN).nop().nop().ts(h.tsVal(), ecr);
    }

    @Test
    void listenSynWithTimestampsGetsThemEchoedAndEverySegmentCarriesThem() {
        establishedWithTimestamps(P);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 2, h.tsVal()).payload("hello"));
        h.expect(ourAck(P + 6, PV + 2));
        assertEquals("hello", h.readAll());
    }

    @Test
    void establishedWithTimestampsSegmentsHold12BytesLessThanTheMss() {
        establishedWithTimestamps(P);
        h.write("t".repeat(3000));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(TS_WIN).nop().nop().ts(h.tsVal(), PV + 1)
                .payload("t".repeat(1448)));
        h.expect(seg().seq(h.iss + 1449).ack(P + 1).win(TS_WIN).nop().nop().ts(h.tsVal(), PV + 1)
                .payload("t".repeat(1448)));
        h.expect(seg().psh().seq(h.iss + 2897).ack(P + 1).win(TS_WIN).nop().nop().ts(h.tsVal(), PV + 1)
                .payload("t".repeat(104)));
        h.expectNothing();
    }

    @Test
    void establishedSegmentWithAnOlderTsvalIsDroppedByPawsAndAcknowledged() {
        establishedWithTimestamps(P);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV - 10, h.tsVal()).payload("stale"));
        h.expect(ourAck(P + 1, PV + 1));
        assertEquals(0, h.conn.readable());
        assertEquals(1, h.layer.counters().pawsEstab());
    }

    @Test
    void establishedTsvalOneTickOlderPassesAsLinuxAllows() {
        establishedWithTimestamps(P);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV, h.tsVal()).payload("x"));
        h.expect(ourAck(P + 2, PV + 1));
        assertEquals(0, h.layer.counters().pawsEstab());
    }

    @Test
    void establishedRstWithAnOlderTsvalStillResets() {
        establishedWithTimestamps(P);
        h.record();
        h.send(seg().rst().seq(P + 1).nop().nop().ts(PV - 10, 0));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(0, h.layer.counters().pawsEstab());
    }

    @Test
    void establishedIdleFor24DaysTreatsTsRecentAsInvalid() {
        establishedWithTimestamps(P);
        h.at(secs(25 * 24 * 3600));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV - 10, 0).payload("late"));
        h.expect(ourAck(P + 5, PV - 10));
        assertEquals("late", h.readAll());
        assertEquals(0, h.layer.counters().pawsEstab());
    }

    @Test
    void establishedPeerTsvalWrappingPast2To32IsNewer() {
        h.listening();
        int near = -2;
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().nop().ts(near, 0).nop().wscale(7));
        h.conn = h.layer.connection(h.tuple());
        h.iss = h.conn.iss();
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(near, h.tsVal()));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(3, h.tsVal()).payload("wrap"));
        h.expect(ourAck(P + 5, 3));
        assertEquals(0, h.layer.counters().pawsEstab());
    }

    @Test
    void establishedOldDuplicateInWindowAfterSequenceWrapIsRejectedByPaws() {
        int peerIss = -3;
        establishedWithTimestamps(peerIss);
        h.send(seg().seq(-2).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 2, h.tsVal()).payload("abc"));
        h.expect(ourAck(1, PV + 2));
        h.send(seg().seq(1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 3, h.tsVal()).payload("def"));
        h.expect(ourAck(4, PV + 3));
        // RFC 7323 §5: a segment from an earlier cycle of the sequence space, in window now, but older.
        h.send(seg().seq(4).ack(h.iss + 1).win(WIN).nop().nop().ts(PV - 100, 0).payload("old"));
        h.expect(ourAck(4, PV + 3));
        assertEquals("abcdef", h.readAll());
        assertEquals(1, h.layer.counters().pawsEstab());
    }

    @Test
    void establishedAckOfARetransmissionGivesAnRttSampleFromTsecr() {
        establishedWithTimestamps(P);
        // SYN-ACK to ACK took 0 ms: Linux prefers that sample to the TSecr one (tcp_ack_update_rtt()).
        assertEquals(ms(200), h.conn.rto());
        h.write("abc");
        h.drain();
        h.at(ms(200));
        int retransmittedTsval = h.tsVal();
        h.expectAt(ms(200), seg().psh().seq(h.iss + 1).ack(P + 1).win(TS_WIN).nop().nop()
                .ts(retransmittedTsval, PV + 1).payload("abc"));
        h.at(ms(300));
        h.send(seg().seq(P + 1).ack(h.iss + 4).win(WIN).nop().nop().ts(PV + 2, retransmittedTsval));
        // RFC 6298 §2.3 with R = 100 ms: SRTT 12.5 ms, RTTVAR 25 ms; no backoff left (Karn no longer applies).
        assertEquals(212_500_000L, h.conn.rto());
    }

    @Test
    void synSentCarriesTimestampsAndTheSynAckTsecrGivesTheFirstRttSample() {
        h.conn = h.layer.connect(TcbHarness.LOCAL, TcbHarness.REMOTE, TcbHarness.REMOTE_PORT, h.now());
        h.localPort = h.conn.tuple().localPort();
        h.iss = h.conn.iss();
        int synTsval = h.tsVal();
        h.expect(seg().syn().seq(h.iss).win(SYN_WIN).mss(1460).sackOk().ts(synTsval, 0).nop().wscale(7));
        h.at(ms(30));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().nop().ts(PV, synTsval).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN).nop().nop().ts(h.tsVal(), PV));
        assertEquals(ms(230), h.conn.rto()); // 30 ms + max(4 x 15 ms, 200 ms)
    }

    @Test
    void tsvalNeverGoesBackwardsWhenTheStacksTimeStepsBack() {
        establishedWithTimestamps(P);
        h.at(ms(10));
        int sent = h.tsVal();
        h.write("x");
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 1).win(TS_WIN).nop().nop().ts(sent, PV + 1).payload("x"));
        // The stack thread takes its time before running the calls of a poll, so a segment
        // processed after this write may carry an earlier time (NetStack#poll).
        h.layer.input(TcbHarness.REMOTE, TcbHarness.LOCAL, seg().seq(P + 1).ack(h.iss + 2).win(WIN).nop().nop()
                .ts(PV + 2, sent).payload("y").build(TcbHarness.REMOTE_PORT, h.localPort), ms(8));
        h.expect(seg().seq(h.iss + 2).ack(P + 2).win(TS_WIN).nop().nop().ts(sent, PV + 2)); // not 2 ticks back
        assertEquals(ms(200), h.conn.rto()); // the write-to-ACK time taken as 0, not -2 ms
    }

    @Test
    void synSentSynAckWithoutTimestampsTurnsThemOff() {
        h.conn = h.layer.connect(TcbHarness.LOCAL, TcbHarness.REMOTE, TcbHarness.REMOTE_PORT, h.now());
        h.localPort = h.conn.tuple().localPort();
        h.iss = h.conn.iss();
        h.drain();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertFalse(h.conn.tcb.ts.ok);
        assertEquals(1460, h.conn.tcb.effectiveMss());
    }
}
