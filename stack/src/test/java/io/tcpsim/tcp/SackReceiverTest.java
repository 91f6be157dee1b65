package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The receiver's SACK blocks (RFC 2018 §4 and the worked examples of §5) and D-SACK blocks (RFC
 * 2883 §4), on a connection whose peer offered SACK. A 1 MiB receive buffer with window scale 0
 * keeps the window field constant (65535, far below the free space), so the ACKs differ only in
 * what the RFCs describe.
 */
class SackReceiverTest {
    /** RFC 2018 §5 and RFC 2883 §4 count in segments of 500 bytes. */
    private static final int SEG = 500;
    private static final TcpConfig BIG_BUFFER = TcpConfig.linuxDefaults(1500).withTimestamps(false)
            .withBuffers(1 << 20, 65536).withWindowScale(0);

    private final TcbHarness h = SackFixtures.establishedWithSack(new TcbHarness(BIG_BUFFER));

    /** The peer's sequence number of RFC byte {@code rfcSeq}, the examples' first byte being {@code base}. */
    private static int at(int base, int rfcSeq) {
        return P + 1 + rfcSeq - base;
    }

    private Seg data(int base, int from, int to) {
        return seg().seq(at(base, from)).ack(h.iss + 1).win(h.win).payload("d".repeat(to - from));
    }

    private Seg ackOf(int base, int rfcAck) {
        return seg().seq(h.iss + 1).ack(at(base, rfcAck)).win(h.win);
    }

    /** An ACK with SACK blocks given as RFC byte numbers, left and right edges in turn. */
    private Seg sackOf(int base, int rfcAck, int... edges) {
        int[] mapped = new int[edges.length];
        for (int i = 0; i < edges.length; i++) {
            mapped[i] = at(base, edges[i]);
        }
        return ackOf(base, rfcAck).nop().nop().sack(mapped);
    }

    @Test
    void rfc2018Case1FirstFourArriveLastFourLostGivesPlainAcks() {
        for (int s = 5000; s < 7000; s += SEG) {
            h.send(data(5000, s, s + SEG));
            h.expect(ackOf(5000, s + SEG));
        }
        h.expectNothing();
    }

    @Test
    void rfc2018Case2FirstLostEachLaterSegmentIsReportedInOneGrowingBlock() {
        for (int s = 5500; s < 9000; s += SEG) {
            h.send(data(5000, s, s + SEG));
            h.expect(sackOf(5000, 5000, 5500, s + SEG));
        }
        h.expectNothing();
    }

    @Test
    void rfc2018Case3EverySecondLostNewestBlockFirstThenTheOthersMostRecentFirst() {
        h.send(data(5000, 5000, 5500));
        h.expect(ackOf(5000, 5500));
        h.send(data(5000, 6000, 6500));
        h.expect(sackOf(5000, 5500, 6000, 6500));
        h.send(data(5000, 7000, 7500));
        h.expect(sackOf(5000, 5500, 7000, 7500, 6000, 6500));
        h.send(data(5000, 8000, 8500));
        h.expect(sackOf(5000, 5500, 8000, 8500, 7000, 7500, 6000, 6500));
        // "the 4th packet is received out of order": it joins two blocks, which go first.
        h.send(data(5000, 6500, 7000));
        h.expect(sackOf(5000, 5500, 6000, 7500, 8000, 8500));
        // "the 2nd segment is received": everything up to 7500 is acknowledged.
        h.send(data(5000, 5500, 6000));
        h.expect(sackOf(5000, 7500, 8000, 8500));
        h.expectNothing();
    }

    @Test
    void fiveHolesReportFourBlocksWithoutTimestamps() {
        for (int i = 1; i <= 5; i++) {
            h.send(data(0, 1000 * i, 1000 * i + SEG));
            h.drain();
        }
        h.send(data(0, 6000, 6500));
        h.expect(sackOf(0, 0, 6000, 6500, 5000, 5500, 4000, 4500, 3000, 3500));
    }

    @Test
    void fiveHolesReportThreeBlocksBesideTimestamps() {
        TcbHarness t = SackFixtures.establishedWithSackAndTimestamps(new TcbHarness(BIG_BUFFER.withTimestamps(true)));
        for (int i = 1; i <= 6; i++) {
            t.send(seg().seq(P + 1 + 1000 * i).ack(t.iss + 1).win(t.win).nop().nop().ts(SackFixtures.PEER_TS, 0)
                    .payload("d".repeat(SEG)));
            t.drain();
        }
        t.send(seg().seq(P + 1 + 7000).ack(t.iss + 1).win(t.win).nop().nop().ts(SackFixtures.PEER_TS, 0)
                .payload("d".repeat(SEG)));
        // Linux tcp_established_options(): 40 - 12 (timestamps) - 4 leaves room for 3 blocks of 8.
        t.expect(seg().seq(t.iss + 1).ack(P + 1).win(t.win).nop().nop().ts(t.tsVal(), SackFixtures.PEER_TS).nop().nop()
                .sack(P + 7001, P + 7501, P + 6001, P + 6501, P + 5001, P + 5501));
    }

    @Test
    void rfc2883Example1DuplicateBelowTheCumulativeAckIsReportedInADsackBlock() {
        h.send(data(3000, 3000, 3500));
        h.expect(ackOf(3000, 3500)); // the RFC's ACK is lost on the way
        h.send(data(3000, 3500, 4000));
        h.expect(ackOf(3000, 4000)); // lost as well
        h.send(data(3000, 3000, 3500));
        h.expect(sackOf(3000, 4000, 3000, 3500));
        h.expectNothing();
        assertEquals(1, h.layer.counters().dsackOldSent());
    }

    @Test
    void rfc2883Example2DsackBlockFirstThenTheSackBlock() {
        h.send(data(3000, 3000, 3500));
        h.expect(ackOf(3000, 3500));
        h.send(data(3000, 3500, 4000));
        h.expect(ackOf(3000, 4000));
        h.send(data(3000, 4500, 5000)); // 4000-4499 was lost
        h.expect(sackOf(3000, 4000, 4500, 5000));
        h.send(data(3000, 3000, 3500));
        h.expect(sackOf(3000, 4000, 3000, 3500, 4500, 5000));
        h.expectNothing();
    }

    @Test
    void rfc2883Example3DuplicateOfAnOutOfOrderSegmentThenItsBlock() {
        h.send(data(3500, 3500, 4000));
        h.expect(ackOf(3500, 4000));
        h.send(data(3500, 4500, 5000));
        h.expect(sackOf(3500, 4000, 4500, 5000));
        h.send(data(3500, 5000, 5500));
        h.expect(sackOf(3500, 4000, 4500, 5500));
        h.send(data(3500, 5000, 5500));
        h.expect(sackOf(3500, 4000, 5000, 5500, 4500, 5500));
        assertEquals(1, h.layer.counters().dsackOfoSent());
        // The D-SACK block goes once; the next ACK reports the SACK block alone.
        h.send(data(3500, 6000, 6500));
        h.expect(sackOf(3500, 4000, 6000, 6500, 4500, 5500));
    }

    @Test
    void rfc2883Example4OnlyTheDuplicateSubsegmentIsReported() {
        h.send(data(500, 500, 1000));
        h.expect(ackOf(500, 1000));
        h.send(data(500, 2000, 2500)); // 1000-1499 delayed, 1500-1999 lost
        h.expect(sackOf(500, 1000, 2000, 2500));
        h.send(data(500, 1000, 1500)); // the delayed one
        h.expect(sackOf(500, 1500, 2000, 2500));
        h.send(data(500, 1000, 2000)); // sent again as one 1000-byte segment
        h.expect(sackOf(500, 2500, 1000, 1500));
        h.expectNothing();
    }

    @Test
    void rfc2883Example5OnlyTheFirstOfTwoDuplicateSubsegmentsIsReported() {
        h.send(data(500, 500, 1000));
        h.expect(ackOf(500, 1000));
        h.send(data(500, 3000, 3500)); // 1000 and 2000 delayed, 1500 and 2500 lost
        h.expect(sackOf(500, 1000, 3000, 3500));
        h.send(data(500, 1000, 1500));
        h.expect(sackOf(500, 1500, 3000, 3500));
        h.send(data(500, 2000, 2500));
        h.expect(sackOf(500, 1500, 2000, 2500, 3000, 3500));
        h.send(data(500, 1000, 2500)); // sent again as one 1500-byte segment
        h.expect(sackOf(500, 2500, 1000, 1500, 3000, 3500));
        h.expectNothing();
    }

    @Test
    void withDsackOffADuplicateGetsAPlainAck() {
        TcbHarness t = SackFixtures.establishedWithSack(new TcbHarness(BIG_BUFFER.withDsack(false)));
        t.send(seg().seq(P + 1).ack(t.iss + 1).win(t.win).payload("abc"));
        t.expect(seg().seq(t.iss + 1).ack(P + 4).win(t.win));
        t.send(seg().seq(P + 1).ack(t.iss + 1).win(t.win).payload("abc"));
        t.expect(seg().seq(t.iss + 1).ack(P + 4).win(t.win));
        assertEquals(0, t.layer.counters().dsackOldSent());
    }

    @Test
    void withoutSackNegotiatedOutOfOrderDataGetsPlainDuplicateAcks() {
        TcbHarness t = new TcbHarness(BIG_BUFFER).established(); // the peer's SYN offers no SACK
        t.send(seg().seq(P + 501).ack(t.iss + 1).win(t.win).payload("d".repeat(SEG)));
        t.expect(seg().seq(t.iss + 1).ack(P + 1).win(t.win));
        t.send(seg().seq(P + 1).ack(t.iss + 1).win(t.win).payload("d".repeat(SEG)));
        t.expect(seg().seq(t.iss + 1).ack(P + 1001).win(t.win));
        assertEquals(false, t.conn.sackPermitted());
    }

    @Test
    void dataWeSendWhileHoldingOutOfOrderDataCarriesTheSackBlocksAndShrinksToFit() {
        h.send(data(0, 1000, 1500));
        h.expect(sackOf(0, 0, 1000, 1500));
        h.write("s".repeat(3000));
        // Linux tcp_current_mss(): 1460 less the 12 bytes of one SACK block.
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(h.win).nop().nop().sack(P + 1001, P + 1501)
                .payload("s".repeat(1448)));
        h.expect(seg().seq(h.iss + 1449).ack(P + 1).win(h.win).nop().nop().sack(P + 1001, P + 1501)
                .payload("s".repeat(1448)));
        h.expect(seg().psh().seq(h.iss + 2897).ack(P + 1).win(h.win).nop().nop().sack(P + 1001, P + 1501)
                .payload("s".repeat(104)));
    }

    @Test
    void finHeldBeyondAGapIsCoveredByItsBlock() {
        h.send(data(0, 500, 1000).fin());
        // Linux: the block ends at the FIN's end_seq, one past the data.
        h.expect(sackOf(0, 0, 500, 1001));
        h.send(data(0, 0, 500));
        h.expect(ackOf(0, 1001));
        h.expectState(TcpState.CLOSE_WAIT);
    }
}
