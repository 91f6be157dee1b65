package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The sender with SACK: the scoreboard fed by the peer's SACK blocks (bogus ones and D-SACKs not
 * counted as news), RFC 6675 loss recovery (entry, NextSeg() rules 1-4 limited by pipe, exit at
 * RecoveryPoint), and an RTO keeping SACKed data unless the peer reneged (Linux
 * tcp_enter_loss()). Reno, so that ssthresh is FlightSize / 2; ten segments of 1460 bytes are
 * out at the start of every test.
 */
class SackSenderTest {
    private static final String MSS = "s".repeat(1460);
    private static final int SEGMENTS = 10;
    private final TcbHarness h = SackFixtures.establishedWithSack(new TcbHarness());

    SackSenderTest() {
        h.conn.setCongestionControl("reno");
        h.write(MSS.repeat(SEGMENTS));
        for (int k = 0; k < SEGMENTS; k++) {
            h.expect(data(k));
        }
        h.expectNothing();
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
    void threeLossesInOneWindowAreAllResentWithinOneRttInNextSegOrderAsPipeAllows() {
        ack(1); // segments 1, 4 and 6 are lost
        ack(1, 2, 3);
        ack(1, 2, 4);
        h.expectNothing();
        ack(1, 5, 6, 2, 4); // third duplicate ACK: recovery, segment 1 at once (RFC 6675 §5 step 4)
        h.expect(data(1));
        h.expectNothing(); // pipe: segments 4, 6-9 not lost, 1 resent = 6 * 1460 > cwnd 6570
        assertEquals(6570, h.conn.ssthresh()); // FlightSize 9 segments / 2
        assertEquals(6570, h.conn.cwnd());
        ack(1, 7, 8, 5, 6, 2, 4);
        h.expectNothing(); // 4 is not lost yet (2 blocks, 2920 bytes above it); pipe 5 segments
        ack(1, 7, 9, 5, 6, 2, 4);
        h.expect(data(4)); // NextSeg rule 1: IsLost(4) now; then pipe 4 segments, 730 bytes short of one more
        h.expectNothing();
        ack(1, 7, 10, 5, 6, 2, 4);
        h.expect(data(6));
        h.expectNothing();
        ack(4, 7, 10, 5, 6); // the resent segment 1 arrived: a partial ACK, nothing more to send
        ack(6, 7, 10);
        ack(10);
        h.expectNothing();
        assertEquals(1, h.layer.counters().sackRecovery());
        assertEquals(3, h.layer.counters().fastRetransmits());
        assertEquals(0, h.layer.counters().timeouts());
        assertEquals(6570, h.conn.cwnd()); // recovery over, cwnd = ssthresh
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
        ack(0, 1, 4); // RFC 6675 §5 step 2: IsLost(HighACK + 1), 4380 bytes SACKed above it
        h.expect(data(0));
        h.expectNothing();
        assertEquals(1, h.layer.counters().sackRecovery());
    }

    @Test
    void twoSackedSegmentsAreNoLossYet() {
        ack(0, 1, 2);
        ack(0, 1, 3);
        h.expectNothing();
        assertEquals(0, h.layer.counters().sackRecovery());
    }

    @Test
    void tailLossIsResentByTheRescueRetransmissionOncePerRecovery() {
        ack(0, 1, 2); // segments 0 and 9 are lost
        ack(0, 1, 3);
        ack(0, 1, 4);
        h.expect(data(0));
        ack(0, 1, 5);
        ack(0, 1, 6);
        h.expectNothing();
        ack(0, 1, 7); // NextSeg rule 4: the highest unSACKed segment, once cwnd - pipe reaches 1 SMSS
        h.expect(data(9));
        ack(0, 1, 8);
        ack(0, 1, 9);
        h.expectNothing();
        ack(9);
        ack(10);
        h.expectNothing();
        assertEquals(0, h.layer.counters().timeouts());
    }

    @Test
    void holeNotYetLostIsResentByRule3WhenNoNewDataWaits() {
        ack(0, 1, 2); // segments 0 and 8 are lost
        ack(0, 1, 3);
        ack(0, 1, 4);
        h.expect(data(0));
        for (int k = 5; k <= 8; k++) {
            ack(0, 1, k);
        }
        h.expect(data(9)); // rule 4 while 9 was the highest unSACKed segment
        h.expectNothing();
        ack(0, 9, 10, 1, 8); // 8 has one segment SACKed above it: not lost, but rule 3 sends it
        h.expect(data(8));
        h.expectNothing();
        assertEquals(3, h.layer.counters().fastRetransmits());
    }

    @Test
    void threeDuplicateAcksStartRecoveryEvenWhenLittleIsSacked() {
        TcbHarness t = SackFixtures.establishedWithSack(new TcbHarness());
        t.conn.setNoDelay(true, t.now());
        for (int i = 0; i < 4; i++) {
            t.write("x".repeat(100));
            t.expect(seg().psh().seq(t.iss + 1 + 100 * i).ack(P + 1).win(WIN).payload("x".repeat(100)));
        }
        for (int n = 2; n <= 4; n++) {
            t.send(seg().seq(P + 1).ack(t.iss + 1).win(WIN).nop().nop().sack(t.iss + 101, t.iss + 1 + 100 * n));
        }
        // RFC 6675 §5 step 1: DupAcks >= DupThresh although IsLost() is false (300 bytes, one block).
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
    void rtoKeepsSackedDataSackedAndGoesBackNOverTheRestAsLinuxDoes() {
        ack(0, 8, 10); // two segments SACKed: no recovery
        h.at(secs(1));
        h.expectAt(secs(1), data(0)); // cwnd 1 SMSS
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
        assertEquals(8, h.layer.counters().retransSegs());
        assertEquals(0, h.layer.counters().sackReneging());
    }

    @Test
    void ackStoppingAtSackedDataShortensTheTimerAndTheRtoForgetsTheSacks() {
        ack(0, 2, 4);
        h.expectNothing();
        h.at(ms(100));
        ack(2); // the peer dropped 2-3, which it had SACKed (RFC 2018 §8 reneging)
        // Linux tcp_check_sack_reneging(): timer max(SRTT / 2, 10 ms), SRTT 100 ms from this ACK
        assertEquals(ms(150), h.conn.nextDeadline());
        h.at(ms(150));
        h.expectAt(ms(150), data(2)); // Linux tcp_timeout_mark_lost(): SND.UNA SACKed, so every SACK is forgotten
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
    }
}
