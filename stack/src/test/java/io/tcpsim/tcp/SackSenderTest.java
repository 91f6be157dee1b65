package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The sender with SACK, as Linux: the scoreboard fed by the peer's SACK blocks (bogus ones and
 * D-SACKs not counted as news), losses found by RACK (RFC 8985 §6) with its reordering window and
 * reorder timer, lost retransmissions included, recovery with PRR (RFC 6937), tail losses probed
 * (RFC 8985 §7), and an RTO keeping SACKed data unless the peer reneged (Linux tcp_enter_loss()).
 * Reno, so that ssthresh is FlightSize / 2; ten segments of 1460 bytes go out at 0 and the
 * peer's ACKs arrive from {@link #RTT} on.
 */
class SackSenderTest {
    private static final String MSS = "s".repeat(1460);
    private static final int SEGMENTS = 10;
    /** The round trip: the first ACK gives an RTT sample of 100 ms, so RACK's window is 25 ms. */
    private static final long RTT = ms(100);
    private final TcbHarness h = SackFixtures.establishedWithSack(new TcbHarness(), RTT);

    SackSenderTest() {
        h.conn.setCongestionControl("reno");
        h.write(MSS.repeat(SEGMENTS));
        for (int k = 0; k < SEGMENTS; k++) {
            h.expect(data(k));
        }
        h.expectNothing();
        h.at(RTT);
    }

    /** Our sequence number of segment {@code k}'s first byte. */
    private int s(int k) {
        return h.iss + 1 + 1460 * k;
    }

    private Seg data(int k) {
        Seg d = seg().seq(s(k)).ack(P + 1).win(WIN).payload(MSS);
        return k == SEGMENTS - 1 ? d.psh() : d;
    }

    /** The peer's ACK of everything before segment {@code k}, with SACK blocks given as segment numbers. */
    private void ack(int k, int... blocks) {
        Seg a = seg().seq(P + 1).ack(s(k)).win(WIN);
        if (blocks.length > 0) {
            int[] edges = new int[blocks.length];
            for (int i = 0; i < blocks.length; i++) {
                edges[i] = s(blocks[i]);
            }
            a = a.nop().nop().sack(edges);
        }
        h.send(a);
    }

    @Test
    void threeLossesInOneWindowAreMarkedLostByRackAndResentAsPrrAllows() {
        ack(1); // segments 1, 4 and 6 are lost
        ack(1, 2, 3);
        ack(1, 2, 4);
        h.expectNothing(); // two SACKed segments: segment 1 waits for RACK's window
        ack(1, 5, 6, 2, 4); // three SACKed: no reordering seen, so RACK's window is 0 (Linux)
        h.expect(data(1)); // 1 and 4 were sent before segment 5: both lost; PRR lets one out
        h.expectNothing();
        assertEquals(6570, h.conn.ssthresh()); // FlightSize 9 segments / 2
        assertEquals(7300, h.conn.cwnd()); // pipe 4 segments + sndcnt 1 (RFC 6937: DeliveredData, as pipe < ssthresh)
        ack(1, 7, 8, 5, 6, 2, 4);
        h.expect(data(4)); // 6 is lost now; PRR: pipe 3 segments + 1
        h.expectNothing();
        assertEquals(5840, h.conn.cwnd());
        ack(1, 7, 9, 5, 6, 2, 4);
        h.expect(data(6));
        h.expectNothing();
        ack(1, 7, 10, 5, 6, 2, 4);
        h.expectNothing(); // nothing lost left, no new data
        ack(4, 7, 10, 5, 6); // the resent segment 1 arrived
        ack(6, 7, 10);
        ack(10);
        h.expectNothing();
        assertEquals(1, h.layer.counters().sackRecovery());
        assertEquals(3, h.layer.counters().fastRetransmits());
        assertEquals(0, h.layer.counters().timeouts());
        assertEquals(6570, h.conn.cwnd()); // recovery over: cwnd = ssthresh (Linux tcp_end_cwnd_reduction())
        assertEquals(Long.MAX_VALUE, h.conn.nextDeadline());
    }

    @Test
    void tcpInfoShowsTheSackOptionAndTheSackedSegments() {
        ack(1, 2, 4);
        TcpInfo info = TcpInfo.of(h.conn, h.now());
        assertEquals(TcpInfo.TCPI_OPT_SACK, info.options() & TcpInfo.TCPI_OPT_SACK);
        assertEquals(2, info.sacked());
    }

    @Test
    void oneAckSackingThreeSegmentsStartsRecoveryAtOnce() {
        ack(0, 1, 4); // DupThresh segments SACKed: RACK's window is 0 (Linux tcp_rack_reo_wnd())
        h.expect(data(0));
        h.expectNothing();
        assertEquals(1, h.layer.counters().sackRecovery());
    }

    @Test
    void twoSackedSegmentsWaitForTheReorderWindowThenTheReorderTimerResendsTheHole() {
        ack(0, 1, 2);
        ack(0, 1, 3);
        h.expectNothing();
        assertEquals(0, h.layer.counters().sackRecovery());
        // RFC 8985 §6.2: RACK.rtt 100 ms + reo_wnd min_RTT / 4 = 25 ms after segment 0 was sent,
        // plus Linux's TCP_TIMEOUT_MIN, 2 ms.
        assertEquals(ms(127), h.conn.nextDeadline());
        h.at(ms(126));
        h.expectNothing();
        h.at(ms(127));
        h.expectAt(ms(127), data(0));
        h.expectNothing();
        assertEquals(1, h.layer.counters().sackRecovery());
        assertEquals(0, h.layer.counters().timeouts());
    }

    @Test
    void aSegmentDeliveredLateWithinTheReorderWindowIsNoLossAndWidensTheWindowThereafter() {
        ack(0, 1, 2);
        ack(0, 1, 3);
        h.at(ms(110));
        ack(3); // segment 0 was only reordered
        h.at(ms(130));
        h.expectNothing();
        assertEquals(0, h.layer.counters().sackRecovery());
        assertEquals(1, h.layer.counters().sackReorder());
        ack(3, 4, 7); // three SACKed, but with reordering seen RACK waits (Linux: reord_seen)
        h.expectNothing();
        h.at(ms(157));
        h.expectAt(ms(157), data(3)); // sent at 0: RACK.rtt 130 ms + reo_wnd 25 ms + 2 ms
        assertEquals(1, h.layer.counters().sackRecovery());
    }

    @Test
    void aLostRetransmissionIsFoundByRackOnceDataSentAfterItIsSackedWithoutTheRto() {
        h.write(MSS.repeat(2));
        ack(0, 1, 4); // segment 0 lost
        h.expect(data(0)); // PRR: pipe 6 segments above ssthresh 5: CEIL(5 * 3 / 10) = 2 segments
        h.expect(data(10));
        h.expectNothing();
        h.at(ms(200));
        ack(0, 1, 11); // segment 10, sent with the retransmission of 0, arrived; the retransmission did not
        h.expectAt(ms(200), data(0)); // RACK: sent no later than segment 10, and not delivered
        h.expect(data(11).psh());
        h.expectNothing();
        assertEquals(1, h.layer.counters().lostRetransmit());
        assertEquals(1, h.layer.counters().sackRecovery());
        h.at(ms(300));
        ack(11);
        ack(12);
        h.expectNothing();
        assertEquals(0, h.layer.counters().timeouts());
        assertEquals(2, h.layer.counters().retransSegs());
    }

    @Test
    void tailLossIsFoundByRackWhenTheRetransmissionSentAfterItIsAcknowledged() {
        ack(0, 1, 2); // segments 0 and 9 are lost
        ack(0, 1, 3);
        ack(0, 1, 4);
        h.expect(data(0));
        for (int k = 5; k <= 9; k++) {
            ack(0, 1, k);
        }
        h.expectNothing(); // Linux has no RFC 6675 rescue retransmission
        h.at(ms(200));
        ack(9); // the retransmission of 0, sent at 100 ms, arrived; 9 was sent before it
        h.expectAt(ms(200), data(9));
        ack(10);
        h.expectNothing();
        assertEquals(0, h.layer.counters().timeouts());
        assertEquals(2, h.layer.counters().fastRetransmits());
    }

    @Test
    void threeSackedSegmentsStartRecoveryEvenWhenFewBytesAreSacked() {
        TcbHarness t = SackFixtures.establishedWithSack(new TcbHarness(), RTT);
        t.conn.setNoDelay(true, t.now());
        for (int i = 0; i < 4; i++) {
            t.write("x".repeat(100));
            t.expect(seg().psh().seq(t.iss + 1 + 100 * i).ack(P + 1).win(WIN).payload("x".repeat(100)));
        }
        t.at(RTT);
        for (int n = 2; n <= 3; n++) {
            t.send(seg().seq(P + 1).ack(t.iss + 1).win(WIN).nop().nop().sack(t.iss + 101, t.iss + 1 + 100 * n));
        }
        t.expectNothing();
        // Linux tcp_rack_reo_wnd(): sacked_out counts segments, 3 of them: the window is 0 (300 bytes).
        t.send(seg().seq(P + 1).ack(t.iss + 1).win(WIN).nop().nop().sack(t.iss + 101, t.iss + 401));
        t.expect(seg().seq(t.iss + 1).ack(P + 1).win(WIN).payload("x".repeat(100)));
        t.expectNothing();
    }

    @Test
    void bogusSackBlocksAreIgnoredAndCountedAndStartNothing() {
        for (int i = 0; i < 3; i++) {
            // beyond SND.NXT, reversed, starting at SND.UNA, ending beyond SND.NXT (Linux tcp_is_sackblock_valid())
            h.send(seg().seq(P + 1).ack(s(0)).win(WIN).nop().nop()
                    .sack(s(10), s(11), s(3), s(2), s(0), s(2), s(2), s(10) + 1));
        }
        h.expectNothing();
        assertEquals(12, h.layer.counters().sackDiscard());
        assertEquals(0, h.layer.counters().sackRecovery());
        ack(0, 1, 4); // the scoreboard still works
        h.expect(data(0));
    }

    @Test
    void dsackBelowTheAckIsCountedAndNoLossSignal() {
        ack(2);
        for (int i = 0; i < 3; i++) {
            ack(2, 0, 1); // RFC 2883: the first block below SEG.ACK reports a duplicate
        }
        h.expectNothing();
        assertEquals(3, h.layer.counters().dsackRecv());
        assertEquals(0, h.layer.counters().sackRecovery());
        assertEquals(0, h.layer.counters().sackDiscard());
    }

    @Test
    void dsackInsideTheSecondBlockIsCountedAndTheBlockStillCounts() {
        ack(0, 2, 3, 1, 4); // RFC 2883 §4.1.3: block 1 inside block 2; block 2 SACKs 3 segments
        assertEquals(1, h.layer.counters().dsackOfoRecv());
        h.expect(data(0));
    }

    @Test
    void tailLossOfTwoSegmentsIsProbedAfterPtoAndRepairedWithoutTheRto() {
        ack(8); // RFC 8985 §7: segments 8 and 9, the tail, are lost; SRTT 100 ms, RTO 300 ms
        h.expectNothing();
        assertEquals(ms(302), h.conn.nextDeadline()); // PTO = 2 * SRTT + 2 ms (two segments out; Linux)
        h.at(ms(302));
        h.expectAt(ms(302), data(9)); // no new data: the last segment again
        h.expectNothing();
        assertEquals(1, h.layer.counters().lossProbes());
        h.at(ms(402));
        ack(8, 9, 10); // the probe's ACK SACKs 9: RACK finds 8 lost
        h.expectAt(ms(402), data(8));
        h.at(ms(502));
        ack(10);
        h.expectNothing();
        assertEquals(0, h.layer.counters().timeouts());
        assertEquals(1, h.layer.counters().sackRecovery());
    }

    @Test
    void withoutAnRttSampleTheProbeGoesAfterOneSecondAsNewDataPastCwnd() {
        TcbHarness t = SackFixtures.establishedWithSackWithoutRttSample(new TcbHarness());
        long t0 = t.now();
        t.write(MSS.repeat(11));
        for (int k = 0; k < 10; k++) {
            t.expect(seg().seq(t.iss + 1 + 1460 * k).ack(P + 1).win(WIN).payload(MSS));
        }
        t.expectNothing(); // the initial window is 10 segments
        t.at(t0 + secs(1));
        t.expectAt(t0 + secs(1), seg().psh().seq(t.iss + 1 + 1460 * 10).ack(P + 1).win(WIN).payload(MSS));
        t.expectNothing();
        assertEquals(t0 + secs(4), t.conn.nextDeadline()); // then the RTO, from the probe: 3 s without a sample
        assertEquals(1, t.layer.counters().lossProbes());
        assertEquals(1, t.layer.counters().retransSegs(), "the SYN-ACK only");
    }

    @Test
    void aRetransmittedProbeThatRepairedTheTailReducesCwndOnceWhenALaterAckPassesIt() {
        ack(9); // segment 9 lost; one segment out: PTO = 2 * SRTT + 200 ms, capped at the RTO, 300 ms
        assertEquals(ms(400), h.conn.nextDeadline());
        h.at(ms(400));
        h.expectAt(ms(400), data(9));
        h.at(ms(500));
        ack(10); // up to the probe: not yet known whether the original arrived too
        assertEquals(Integer.MAX_VALUE, h.conn.ssthresh());
        h.write(MSS);
        h.expect(seg().psh().seq(s(10)).ack(P + 1).win(WIN).payload(MSS));
        h.at(ms(600));
        ack(11); // beyond the probe, and no D-SACK came: the probe repaired a loss (RFC 8985 §7.4)
        assertEquals(1, h.layer.counters().lossProbeRecovery());
        assertEquals(h.conn.ssthresh(), h.conn.cwnd()); // Linux: CWR entered and left at once
        assertEquals(2920, h.conn.ssthresh()); // Reno: max(FlightSize / 2, 2 SMSS), nothing left in flight
        assertEquals(0, h.layer.counters().timeouts());
    }

    @Test
    void aProbeTheOriginalAlsoReachedIsReportedByDsackAndReducesNothing() {
        ack(9);
        h.at(ms(400));
        h.expectAt(ms(400), data(9));
        h.at(ms(500));
        ack(10);
        ack(10, 9, 10); // the peer got segment 9 twice (RFC 2883)
        h.write(MSS);
        h.drain();
        h.at(ms(600));
        ack(11);
        assertEquals(0, h.layer.counters().lossProbeRecovery());
        assertEquals(Integer.MAX_VALUE, h.conn.ssthresh()); // no reduction
    }

    @Test
    void rtoAfterRecoveryKeepsSackedDataSackedAndResendsTheRestInOrderAsLinuxDoes() {
        ack(0, 8, 10); // two segments SACKed: the reorder timer marks 0-7 lost at 127 ms
        h.at(ms(127));
        h.expectAt(ms(127), data(0)); // PRR lets one segment out
        h.expectNothing();
        h.at(ms(427)); // nothing more from the peer: the RTO, 300 ms after segment 0 was sent
        h.expectAt(ms(427), data(0)); // cwnd = in flight + 1 SMSS (Linux tcp_enter_loss())
        h.expectNothing();
        ack(1, 8, 10);
        h.expect(data(1));
        h.expect(data(2));
        ack(3, 8, 10);
        for (int k = 3; k <= 6; k++) {
            h.expect(data(k));
        }
        ack(7, 8, 10);
        h.expect(data(7)); // 8 and 9 are SACKed: not sent again
        h.expectNothing();
        ack(10);
        h.expectNothing();
        assertEquals(1, h.layer.counters().timeouts());
        assertEquals(9, h.layer.counters().retransSegs());
        assertEquals(0, h.layer.counters().sackReneging());
    }

    @Test
    void ackStoppingAtSackedDataShortensTheTimerAndTheRtoForgetsTheSacks() {
        ack(0, 2, 4); // an RTT sample of 100 ms from the SACKed segment 2 (Linux tcp_ack_update_rtt())
        h.expectNothing();
        h.at(ms(110));
        ack(2); // the peer dropped 2-3, which it had SACKed (RFC 2018 §8 reneging)
        // Linux tcp_check_sack_reneging(): timer max(SRTT / 2, 10 ms), SRTT 101.25 ms after a sample of 110 ms
        long at = ms(110) + 50_625_000L;
        assertEquals(at, h.conn.nextDeadline());
        h.at(at);
        h.expectAt(at, data(2)); // Linux tcp_timeout_mark_lost(): SND.UNA SACKed, so every SACK is forgotten
        h.expectNothing();
        assertEquals(1, h.layer.counters().sackReneging());
        ack(3);
        h.expect(data(3));
        h.expect(data(4));
    }

    @Test
    void withoutSackNegotiatedThePeersSackBlocksAreIgnoredAndNewRenoApplies() {
        TcbHarness t = new TcbHarness().established();
        t.write(MSS.repeat(5));
        t.drain();
        t.send(seg().seq(P + 1).ack(t.iss + 1).win(WIN).nop().nop().sack(t.iss + 1461, t.iss + 5841));
        t.expectNothing(); // one duplicate ACK of three (RFC 5681 §3.2)
        assertEquals(0, t.layer.counters().sackRecovery());
        assertEquals(0, t.layer.counters().lossProbes());
    }
}
