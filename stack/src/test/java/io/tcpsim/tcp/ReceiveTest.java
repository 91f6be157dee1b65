package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The receive side: out-of-order queue, duplicate and delayed ACKs, window updates, receiver SWS. */
class ReceiveTest {
    private static final String MSS = "r".repeat(1460);
    private final TcbHarness h = new TcbHarness().established();

    private Seg from(int offset, String text) {
        return seg().seq(P + 1 + offset).ack(h.iss + 1).win(WIN).payload(text);
    }

    private Seg ackOf(int offset) {
        return seg().seq(h.iss + 1).ack(P + 1 + offset).win(WIN);
    }

    /** Sends Linux's 16 quick-ack segments of one byte, each acknowledged at once. */
    private void useUpQuickAcks() {
        for (int i = 0; i < Receiver.MAX_QUICKACKS; i++) {
            h.send(from(i, "q"));
            h.expect(ackOf(i + 1));
        }
        h.readAll();
    }

    @Test
    void establishedOutOfOrderDataIsHeldWithADuplicateAckAndDeliveredWhenTheGapFills() {
        h.send(from(5, "world"));
        h.expect(ackOf(0));
        assertEquals(0, h.conn.readable());
        h.send(from(0, "hello"));
        h.expect(ackOf(10));
        assertEquals("helloworld", h.readAll());
    }

    @Test
    void establishedOverlappingOutOfOrderSegmentsAreDeliveredOnce() {
        h.send(from(4, "efgh"));
        h.send(from(6, "ghij"));
        h.send(from(4, "efgh"));
        h.expect(ackOf(0));
        h.expect(ackOf(0));
        h.expect(ackOf(0));
        h.send(from(0, "abcdef"));
        h.expect(ackOf(10));
        assertEquals("abcdefghij", h.readAll());
    }

    @Test
    void establishedFinBeyondAGapWaitsForTheGapThenClosesTheReadSide() {
        h.send(from(3, "def").fin());
        h.expect(ackOf(0));
        h.expectState(TcpState.ESTABLISHED);
        h.send(from(0, "abc"));
        h.expect(ackOf(7));
        h.expectState(TcpState.CLOSE_WAIT);
        assertEquals("abcdef", h.readAll());
        assertEquals(-1, h.conn.read(new byte[1], 0, 1, h.now()));
    }

    @Test
    void establishedDataAfterTheQuickAcksIsAcknowledgedAfter40Ms() {
        useUpQuickAcks();
        h.send(from(16, "late"));
        h.expectNothing();
        h.at(ms(39));
        h.expectNothing();
        h.at(ms(40));
        h.expectAt(ms(40), ackOf(20));
    }

    @Test
    void establishedSecondFullSizedSegmentIsAcknowledgedAtOnce() {
        useUpQuickAcks();
        h.send(from(16, MSS));
        h.expectNothing();
        h.send(from(16 + 1460, MSS));
        h.expect(ackOf(16 + 2920).win(489));
        h.at(ms(100));
        h.expectNothing();
    }

    @Test
    void establishedDataSentByUsCarriesTheDelayedAckAndCancelsTheTimer() {
        useUpQuickAcks();
        h.send(from(16, "ask"));
        h.write("answer");
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 20).win(WIN).payload("answer"));
        h.at(ms(100));
        h.expectNothing();
    }

    @Test
    void establishedDrainingAClosedWindowSendsAWindowUpdate() {
        TcbHarness s = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(2920, 65536)).established();
        s.send(seg().seq(P + 1).ack(s.iss + 1).win(WIN).payload(MSS));
        s.expect(seg().seq(s.iss + 1).ack(P + 1461).win(11));
        s.send(seg().seq(P + 1461).ack(s.iss + 1).win(WIN).payload(MSS));
        s.at(ms(40));
        s.expectAt(ms(40), seg().seq(s.iss + 1).ack(P + 2921).win(0));
        s.readAll();
        s.expect(seg().seq(s.iss + 1).ack(P + 2921).win(s.win));
    }

    @Test
    void establishedReadingLessThanAnMssOfAClosedWindowOffersNothing() {
        TcbHarness s = new TcbHarness(TcpConfig.linuxDefaults(1500).withBuffers(2920, 65536)
                .withInitialRto(Duration.ofSeconds(1))).established();
        s.send(seg().seq(P + 1).ack(s.iss + 1).win(WIN).payload(MSS + MSS));
        s.expect(seg().seq(s.iss + 1).ack(P + 2921).win(0));
        s.conn.read(new byte[100], 0, 100, s.now());
        s.expectNothing();
        s.send(seg().seq(P + 2920).ack(s.iss + 1).win(WIN)); // a zero-window probe, Linux style
        s.expect(seg().seq(s.iss + 1).ack(P + 2921).win(0)); // RFC 1122 §4.2.3.3: no 100-byte window
    }
}
