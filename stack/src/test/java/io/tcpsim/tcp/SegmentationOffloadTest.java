package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The sender over an output that segments TCP packets (TSO): new data leaves as one segment of
 * several MSS that the link cuts by the MSS (Linux tcp_write_xmit() with a TSO device), while the
 * scoreboard, loss recovery and retransmissions still work per MSS (Linux tcp_fragment()); over a
 * plain output the same writes leave as MSS-sized segments. SACK, Reno, ten segments' worth of
 * initial window, the peer's ACKs from {@link #RTT} on, as in {@link SackSenderTest}.
 */
class SegmentationOffloadTest {
    private static final int MSS_BYTES = 1460;
    private static final String MSS = "s".repeat(MSS_BYTES);
    private static final int SEGMENTS = 10;
    /** What an IPv4 output over a TUN with offloads takes: 65535 bytes less the IPv4 header, less 20 more. */
    private static final int LIMIT = 65_495;
    private static final long RTT = ms(100);

    private static TcbHarness withSack(int segmentationLimit) {
        TcbHarness h = SackFixtures.establishedWithSack(new TcbHarness(TcpConfig.linuxDefaults(1500)
                .withTimestamps(false), segmentationLimit), RTT);
        h.conn.setCongestionControl("reno");
        return h;
    }

    private static int s(TcbHarness h, int k) {
        return h.iss + 1 + MSS_BYTES * k;
    }

    private static Seg data(TcbHarness h, int k, int segments) {
        Seg d = seg().seq(s(h, k)).ack(P + 1).win(WIN).payload(MSS.repeat(segments));
        return k + segments == SEGMENTS ? d.psh() : d;
    }

    @Test
    void tsoOutputTakesOneWriteOfTenMssAsOneSegmentForTheLinkToCutByTheMss() {
        TcbHarness h = withSack(LIMIT);
        long outSegs = h.layer.counters().outSegs;
        h.write(MSS.repeat(SEGMENTS));
        TcbHarness.Sent sent = h.expect(data(h, 0, SEGMENTS));
        h.expectNothing();
        assertEquals(MSS_BYTES, sent.segmentSize());
        assertEquals(SEGMENTS, h.layer.counters().outSegs - outSegs, "OutSegs counts the segments the link makes");
        assertEquals(SEGMENTS, h.conn.tcb.scoreboard.size(), "the scoreboard keeps one entry per MSS");
    }

    @Test
    void plainOutputTakesTheSameWriteAsTenMssSegments() {
        TcbHarness h = withSack(0);
        h.write(MSS.repeat(SEGMENTS));
        for (int k = 0; k < SEGMENTS; k++) {
            assertEquals(0, h.expect(data(h, k, 1)).segmentSize());
        }
        h.expectNothing();
    }

    @Test
    void aLossInsideTheLargeSegmentIsResentAsOneMss() {
        TcbHarness h = withSack(LIMIT);
        h.write(MSS.repeat(SEGMENTS));
        h.expect(data(h, 0, SEGMENTS));
        h.at(RTT);
        long retrans = h.layer.counters().retransSegs;
        // The peer got segments 1 to 3 of the ten the link made, not 0: DupThresh segments SACKed.
        h.send(seg().seq(P + 1).ack(s(h, 0)).win(WIN).nop().nop().sack(s(h, 1), s(h, 4)));
        TcbHarness.Sent resent = h.expect(data(h, 0, 1));
        h.expectNothing();
        assertEquals(MSS_BYTES, resent.segmentSize());
        assertEquals(1, h.layer.counters().sackRecovery());
        assertEquals(1, h.layer.counters().retransSegs - retrans);
    }

    @Test
    void theTailLossProbeResendsTheLastMssOfTheLargeSegment() {
        TcbHarness h = withSack(LIMIT);
        h.write(MSS.repeat(SEGMENTS));
        h.expect(data(h, 0, SEGMENTS));
        h.at(ms(250));
        h.expect(data(h, SEGMENTS - 1, 1));
        h.expectNothing();
    }

    @Test
    void tsoOutputSendsAShortTailOfAWriteAsItsOwnSegmentAfterTheFullOnes() {
        TcbHarness h = withSack(LIMIT);
        h.write(MSS.repeat(3) + "tail");
        TcbHarness.Sent full = h.expect(seg().seq(s(h, 0)).ack(P + 1).win(WIN).payload(MSS.repeat(3)));
        h.expect(seg().seq(s(h, 3)).ack(P + 1).win(WIN).payload("tail").psh());
        h.expectNothing();
        assertEquals(MSS_BYTES, full.segmentSize());
    }
}
