package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6298 retransmission of data in ESTABLISHED: the timer, Karn, backoff, go-back-N, ETIMEDOUT. */
class RetransmissionTest {
    private static final String MSS = "m".repeat(1460);
    private final TcbHarness h = new TcbHarness().established();

    private Seg data(int offset, String text) {
        return seg().seq(h.iss + 1 + offset).ack(P + 1).win(WIN).payload(text);
    }

    @Test
    void establishedUnacknowledgedDataIsSentAgainAfterTheHandshakeRtoThenBacksOff() {
        // RFC 6298 §2.2: the handshake's RTT (0 here) gives RTO = 0 + max(4 * 0, 200 ms).
        h.write("abc");
        h.expectAt(0, data(0, "abc").psh());
        h.at(secs(0.6));
        h.expectAt(secs(0.2), data(0, "abc").psh());
        h.expectAt(secs(0.6), data(0, "abc").psh());
        h.expectNothing();
        assertEquals(2, h.layer.counters().retransSegs());
        assertEquals(2, h.layer.counters().timeouts());
    }

    @Test
    void establishedAckWithRttSampleSetsRtoToSrttPlusLinuxFloor() {
        h.write("abc");
        h.drain();
        h.at(ms(100)).send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        // RFC 6298 §2.3 after the handshake's sample of 0: RTTVAR 25 ms, SRTT 12.5 ms; 12.5 + max(100, 200 ms)
        assertEquals(212_500_000L, h.conn.rto());
        h.write("def");
        h.expectAt(ms(100), data(3, "def").psh());
        h.at(312_500_000L);
        h.expectAt(312_500_000L, data(3, "def").psh());
    }

    @Test
    void establishedAckOfRetransmittedDataGivesNoSampleAndKeepsTheBackoff() {
        h.write("abc");
        h.at(secs(1.1)); // sent again at 0.2 and 0.6 s
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        assertEquals(ms(800), h.conn.rto()); // Karn: no sample, the twice doubled RTO stays
        h.write("def");
        h.expect(data(3, "def").psh());
        h.at(secs(1.9));
        h.expectAt(secs(1.9), data(3, "def").psh());
    }

    @Test
    void establishedNewAckRestartsTheTimerAndTheLastAckStopsIt() {
        h.write(MSS + MSS);
        h.drain();
        h.at(ms(100)).send(seg().seq(P + 1).ack(h.iss + 1461).win(WIN));
        h.at(312_500_000L - 1);
        h.expectNothing(); // restarted at 100 ms with RTO 212.5 ms (SRTT 12.5 ms + the 200 ms floor)
        h.at(312_500_000L);
        h.expectAt(312_500_000L, data(1460, MSS).psh());
        h.send(seg().seq(P + 1).ack(h.iss + 2921).win(WIN));
        assertEquals(Long.MAX_VALUE, h.conn.nextDeadline());
    }

    @Test
    void establishedRtoResendsOneSegmentThenGoesBackNAsAcksOpenTheWindow() {
        h.write(MSS + MSS + "tail");
        h.drain();
        h.at(secs(0.2));
        h.expectAt(secs(0.2), data(0, MSS));
        h.expectNothing();
        h.send(seg().seq(P + 1).ack(h.iss + 1461).win(WIN));
        h.expect(data(1460, MSS));
        h.expect(data(2920, "tail").psh());
        h.expectNothing();
        assertEquals(1460 * 2, h.conn.cwnd());
    }

    @Test
    void establishedDataUnansweredAfterRetries2RetransmissionsFailsWithEtimedout() {
        h.write("abc");
        h.drain();
        // RTO 200 ms doubling to the 120 s cap: Linux's "about 924 s" for tcp_retries2 = 15.
        double[] at = {0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0, 102.2, 204.6, 324.6, 444.6, 564.6, 684.6, 804.6};
        h.at(secs(924.5));
        for (double t : at) {
            h.expectAt(secs(t), data(0, "abc").psh());
        }
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(924.6));
        h.expectNothing(); // Linux: tcp_write_err() sends no RST
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
        assertEquals(List.of("closed ETIMEDOUT"), h.events);
    }

    @Test
    void establishedFinIsRetransmittedOnTheMeasuredRto() {
        h.write("abc");
        h.drain();
        h.at(ms(100)).send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        h.conn.close(h.now());
        h.expect(seg().fin().seq(h.iss + 4).ack(P + 1).win(WIN));
        h.at(312_500_000L);
        h.expectAt(312_500_000L, seg().fin().seq(h.iss + 4).ack(P + 1).win(WIN));
    }
}
