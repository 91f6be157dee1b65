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
    void establishedUnacknowledgedDataIsSentAgainAfterTheInitialRtoThenBacksOff() {
        h.write("abc");
        h.expectAt(0, data(0, "abc").psh());
        h.at(secs(3));
        h.expectAt(secs(1), data(0, "abc").psh());
        h.expectAt(secs(3), data(0, "abc").psh());
        h.expectNothing();
        assertEquals(2, h.layer.counters().retransSegs());
        assertEquals(2, h.layer.counters().timeouts());
    }

    @Test
    void establishedAckWithRttSampleSetsRtoToSrttPlusLinuxFloor() {
        h.write("abc");
        h.drain();
        h.at(ms(100)).send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        assertEquals(ms(300), h.conn.rto()); // RFC 6298 §2.2: 100 + max(4 * 50, 200 ms)
        h.write("def");
        h.expectAt(ms(100), data(3, "def").psh());
        h.at(ms(400));
        h.expectAt(ms(400), data(3, "def").psh());
    }

    @Test
    void establishedAckOfRetransmittedDataGivesNoSampleAndKeepsTheBackoff() {
        h.write("abc");
        h.at(secs(1.1));
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        assertEquals(secs(2), h.conn.rto()); // Karn: no sample, the doubled RTO stays
        h.write("def");
        h.expect(data(3, "def").psh());
        h.at(secs(3.1));
        h.expectAt(secs(3.1), data(3, "def").psh());
    }

    @Test
    void establishedNewAckRestartsTheTimerAndTheLastAckStopsIt() {
        h.write(MSS + MSS);
        h.drain();
        h.at(ms(900)).send(seg().seq(P + 1).ack(h.iss + 1461).win(WIN));
        h.at(ms(3599));
        h.expectNothing(); // restarted at 900 ms with RTO 900 + 4 * 450 ms
        h.at(ms(3600));
        h.expectAt(ms(3600), data(1460, MSS).psh());
        h.send(seg().seq(P + 1).ack(h.iss + 2921).win(WIN));
        assertEquals(Long.MAX_VALUE, h.conn.nextDeadline());
    }

    @Test
    void establishedRtoResendsOneSegmentThenGoesBackNAsAcksOpenTheWindow() {
        h.write(MSS + MSS + "tail");
        h.drain();
        h.at(secs(1));
        h.expectAt(secs(1), data(0, MSS));
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
        double[] at = {1, 3, 7, 15, 31, 63, 127, 247, 367, 487, 607, 727, 847, 967, 1087};
        h.at(secs(1206.9));
        for (double t : at) {
            h.expectAt(secs(t), data(0, "abc").psh());
        }
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(1207));
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
        h.at(ms(400));
        h.expectAt(ms(400), seg().fin().seq(h.iss + 4).ack(P + 1).win(WIN));
    }
}
