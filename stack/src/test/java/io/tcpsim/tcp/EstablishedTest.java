package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.10.7.4 in ESTABLISHED: sequence test, RST, SYN, ACK, text, FIN, and the calls. */
class EstablishedTest {
    private final TcbHarness h = new TcbHarness().established();

    @Test
    void establishedInOrderDataIsAcknowledgedAtOnceAndReadable() {
        h.send(seg().psh().seq(P + 1).ack(h.iss + 1).win(WIN).payload("hello"));
        h.expect(seg().seq(h.iss + 1).ack(P + 6).win(WIN));
        assertEquals(List.of("readable"), h.events);
        assertEquals(5, h.conn.readable());
        assertEquals("hello", h.readAll());
        assertEquals(0, h.conn.read(new byte[4], 0, 4, h.now()));
    }

    @Test
    void establishedOutOfOrderDataIsHeldWithADuplicateAck() {
        h.send(seg().seq(P + 11).ack(h.iss + 1).win(WIN).payload("later"));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertEquals(0, h.conn.readable());
        assertEquals(P + 1, h.conn.rcvNxt());
    }

    @Test
    void establishedRetransmittedDataIsAcknowledgedAgain() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("abc"));
        h.expect(seg().seq(h.iss + 1).ack(P + 4).win(WIN));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("abc"));
        h.expect(seg().seq(h.iss + 1).ack(P + 4).win(WIN));
        assertEquals("abc", h.readAll());
    }

    @Test
    void establishedOverlappingDataDeliversOnlyTheNewPart() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("abc"));
        h.expect(seg().seq(h.iss + 1).ack(P + 4).win(WIN));
        h.send(seg().seq(P + 2).ack(h.iss + 1).win(WIN).payload("bcdef"));
        h.expect(seg().seq(h.iss + 1).ack(P + 7).win(WIN));
        assertEquals("abcdef", h.readAll());
    }

    @Test
    void establishedWriteSendsOneSegmentWithPsh() {
        assertEquals(4, h.write("ping"));
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("ping"));
        h.expectNothing();
        assertEquals(h.iss + 5, h.conn.sndNxt());
    }

    @Test
    void establishedLargeWriteGoesOutInMssSegmentsWithPshOnTheLast() {
        String data = "x".repeat(1460 * 2 + 100);
        assertEquals(data.length(), h.write(data));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN).payload("x".repeat(1460)));
        h.expect(seg().seq(h.iss + 1461).ack(P + 1).win(WIN).payload("x".repeat(1460)));
        h.expect(seg().psh().seq(h.iss + 2921).ack(P + 1).win(WIN).payload("x".repeat(100)));
        h.expectNothing();
    }

    @Test
    void establishedWriteStopsAtThePeerWindowAndResumesWhenItOpens() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(1));
        h.expectNothing();
        h.write("y".repeat(300));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN).payload("y".repeat(128)));
        h.expectNothing();
        h.send(seg().seq(P + 1).ack(h.iss + 129).win(WIN));
        h.expect(seg().psh().seq(h.iss + 129).ack(P + 1).win(WIN).payload("y".repeat(172)));
    }

    @Test
    void establishedAckFreesTheSendBufferAndSignalsWritable() {
        h.write("data");
        h.drain();
        h.events.clear();
        h.send(seg().seq(P + 1).ack(h.iss + 5).win(WIN));
        h.expectNothing();
        assertEquals(h.iss + 5, h.conn.sndUna());
        assertEquals(List.of("writable"), h.events);
        // Linux tcp_sndbuf_expand() at establishment, MSS 1460: SO_SNDBUF 46080, half of it data.
        assertEquals(46_080 / 2, h.conn.writable());
    }

    @Test
    void establishedAckOfUnsentDataIsDroppedSilentlyAsLinuxDoes() {
        h.send(seg().seq(P + 1).ack(h.iss + 100).win(WIN).payload("zzz"));
        h.expectNothing();
        assertEquals(h.iss + 1, h.conn.sndUna());
        assertEquals(0, h.conn.readable());
    }

    @Test
    void establishedOldAckIsIgnoredButItsDataIsTaken() {
        h.write("abcd");
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 5).win(WIN));
        h.send(seg().seq(P + 1).ack(h.iss + 2).win(WIN).payload("q"));
        h.expect(seg().seq(h.iss + 5).ack(P + 2).win(WIN));
        assertEquals(h.iss + 5, h.conn.sndUna());
        assertEquals("q", h.readAll());
    }

    @Test
    void establishedWindowUpdateFollowsWl1AndWl2() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(10));
        assertEquals(10 << 7, h.conn.sndWnd());
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(20));
        assertEquals(20 << 7, h.conn.sndWnd());
    }

    @Test
    void establishedRstAtRcvNxtResetsTheConnection() {
        h.send(seg().rst().seq(P + 1));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ECONNRESET, h.conn.error());
        assertEquals(List.of("closed ECONNRESET"), h.events);
        assertEquals(1, h.layer.counters().estabResets());
        assertEquals(0, h.layer.counters().currEstab());
    }

    @Test
    void establishedRstInWindowGetsAChallengeAck() {
        h.send(seg().rst().seq(P + 10));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(1, h.layer.counters().challengeAcks());
    }

    @Test
    void establishedRstOutsideWindowIsDropped() {
        h.send(seg().rst().seq(P + 1 + 70_000));
        h.send(seg().rst().seq(P));
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void establishedRstWithAckAtRcvNxtResetsToo() {
        h.send(seg().rst().seq(P + 1).ack(h.iss + 1));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void establishedChallengeAcksAreLimitedToOnePer500ms() {
        h.at(ms(10)).send(seg().rst().seq(P + 10));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.at(ms(509)).send(seg().rst().seq(P + 11));
        h.expectNothing();
        h.at(ms(510)).send(seg().rst().seq(P + 12));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertEquals(2, h.layer.counters().challengeAcks());
    }

    @Test
    void establishedGlobalChallengeAckLimitApplies() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withChallengeAckLimit(1)).established();
        f.send(seg().rst().seq(P + 10));
        f.expect(seg().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.at(ms(600)).send(seg().rst().seq(P + 10));
        f.expectNothing();
        f.at(ms(1100)).send(seg().rst().seq(P + 10));
        f.expect(seg().seq(f.iss + 1).ack(P + 1).win(WIN));
    }

    @Test
    void establishedSynGetsAChallengeAckAndCountsInErrs() {
        h.send(seg().syn().seq(P + 500).win(65535).mss(1460));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(1, h.layer.counters().challengeAcks());
        assertEquals(1, h.layer.counters().inErrs());
    }

    @Test
    void establishedSynOutsideWindowGetsAChallengeAckToo() {
        h.send(seg().syn().seq(P - 5000).win(65535).mss(1460));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertEquals(1, h.layer.counters().challengeAcks());
    }

    @Test
    void establishedSegmentBeforeTheWindowGetsADuplicateAck() {
        h.send(seg().seq(P - 100).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.send(seg().seq(P - 100).ack(h.iss + 1).win(WIN));
        h.expectNothing();
    }

    @Test
    void establishedDataAfterTheWindowGetsADuplicateAckEveryTime() {
        h.send(seg().seq(P + 1 + 70_000).ack(h.iss + 1).win(WIN).payload("far"));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.send(seg().seq(P + 1 + 70_000).ack(h.iss + 1).win(WIN).payload("far"));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
    }

    @Test
    void establishedDataWithoutAckFlagIsDropped() {
        h.send(seg().seq(P + 1).win(WIN).payload("noack"));
        h.expectNothing();
        assertEquals(0, h.conn.readable());
    }

    @Test
    void establishedFinMovesToCloseWaitAndReadReturnsEndOfStream() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSE_WAIT);
        assertEquals(-1, h.conn.read(new byte[1], 0, 1, h.now()));
        assertEquals(1, h.layer.counters().currEstab());
    }

    @Test
    void establishedDataWithFinIsDeliveredBeforeEndOfStream() {
        h.send(seg().fin().psh().seq(P + 1).ack(h.iss + 1).win(WIN).payload("bye"));
        assertEquals("bye", h.readAll());
        assertEquals(-1, h.conn.read(new byte[1], 0, 1, h.now()));
        h.expectNothing();
    }

    @Test
    void establishedFinWithDataIsAcknowledgedByTheDelayedAckTimerNotAsQuickAck() {
        // Linux tcp_fin() enters pingpong mode before __tcp_ack_snd_check(): no quick ACK.
        long fin = h.now();
        h.send(seg().fin().psh().seq(P + 1).ack(h.iss + 1).win(WIN).payload("bye"));
        h.advance(Receiver.DELAYED_ACK_NANOS);
        h.expectAt(fin + Receiver.DELAYED_ACK_NANOS, seg().seq(h.iss + 1).ack(P + 5).win(WIN));
        h.expectState(TcpState.CLOSE_WAIT);
    }

    @Test
    void establishedFinAfterDataIsAcknowledgedByOurFinWhenTheApplicationClosesInTime() {
        h.send(seg().psh().seq(P + 1).ack(h.iss + 1).win(WIN).payload("ping"));
        h.expect(seg().seq(h.iss + 1).ack(P + 5).win(WIN));
        assertEquals("ping", h.readAll());
        h.advance(TcbHarness.ms(100));
        h.send(seg().fin().seq(P + 5).ack(h.iss + 1).win(WIN));
        h.advance(TcbHarness.ms(10));
        h.expectNothing();
        h.conn.close(h.now());
        h.expect(seg().fin().seq(h.iss + 1).ack(P + 6).win(WIN));
        h.advance(Receiver.DELAYED_ACK_NANOS);
        h.expectNothing();
        h.expectState(TcpState.LAST_ACK);
    }

    @Test
    void establishedOutOfOrderFinIsNotTaken() {
        h.send(seg().fin().seq(P + 5).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void establishedCloseWithUnreadDataSendsRstAsLinuxDoes() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("unread"));
        h.expect(seg().seq(h.iss + 1).ack(P + 7).win(WIN));
        h.conn.close(h.now());
        h.expect(seg().rst().seq(h.iss + 1).ack(P + 7).win(WIN));
        h.expectState(TcpState.CLOSED);
        assertEquals(1, h.layer.counters().estabResets());
        assertEquals(1, h.layer.counters().outRsts());
    }

    @Test
    void establishedAbortSendsRstAtSndNxt() {
        h.write("pending");
        h.drain();
        h.conn.abort(h.now());
        h.expect(seg().rst().seq(h.iss + 8).ack(P + 1).win(WIN));
        h.expectState(TcpState.CLOSED);
        assertEquals(Long.MAX_VALUE, h.layer.nextDeadline());
    }

    @Test
    void establishedReadAfterResetThrowsConnectionReset() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("ab"));
        h.send(seg().rst().seq(P + 3));
        assertEquals("ab", h.readAll());
        TcpException e = assertThrows(TcpException.class, () -> h.conn.read(new byte[1], 0, 1, h.now()));
        assertEquals(TcpError.ECONNRESET, e.error());
    }

    @Test
    void establishedWriteAfterResetThrowsConnectionReset() {
        h.send(seg().rst().seq(P + 1));
        TcpException e = assertThrows(TcpException.class, () -> h.write("x"));
        assertEquals(TcpError.ECONNRESET, e.error());
    }

    @Test
    void establishedWriteBeyondTheSendBufferTakesWhatFits() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(65536, 1000)).established();
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(0));
        assertEquals(1000, f.write("w".repeat(1500)));
        assertEquals(0, f.write("more"));
        assertEquals(0, f.conn.writable());
        f.expectNothing();
    }

    @Test
    void establishedDataBeyondTheReceiveBufferIsCutAtTheBuffer() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(1000, 65536)).established();
        assertEquals(1000, f.synWin);
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(WIN).payload("r".repeat(1200)));
        f.expect(seg().seq(f.iss + 1).ack(P + 1001).win(0));
        assertEquals(1000, f.conn.readable());
    }

    @Test
    void establishedDataIntoAZeroWindowIsDroppedWithAnAck() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(1000, 65536)).established();
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(WIN).payload("r".repeat(1000)));
        f.expect(seg().seq(f.iss + 1).ack(P + 1001).win(0));
        f.send(seg().seq(P + 1001).ack(f.iss + 1).win(WIN).payload("s"));
        f.expect(seg().seq(f.iss + 1).ack(P + 1001).win(0));
        assertEquals(1000, f.conn.readable());
    }

    @Test
    void establishedDataWithinAWindowThatRoundingRetractedIsStillTaken() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(1000, 65536)).established();
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(WIN).payload("r".repeat(950)));
        f.expect(seg().seq(f.iss + 1).ack(P + 951).win(0));
        f.send(seg().seq(P + 951).ack(f.iss + 1).win(WIN).payload("s".repeat(50)));
        f.expect(seg().seq(f.iss + 1).ack(P + 1001).win(0));
        assertEquals(1000, f.conn.readable());
    }

    @Test
    void establishedReadThatReopensAClosedWindowSendsAWindowUpdate() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(1000, 65536)).established();
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(WIN).payload("r".repeat(1000)));
        f.expect(seg().seq(f.iss + 1).ack(P + 1001).win(0));
        assertEquals(1000, f.readAll().length());
        f.expect(seg().seq(f.iss + 1).ack(P + 1001).win(7));
    }

    @Test
    void establishedReadOfASmallAmountSendsNoWindowUpdate() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("tiny"));
        h.drain();
        h.readAll();
        h.expectNothing();
    }
}
