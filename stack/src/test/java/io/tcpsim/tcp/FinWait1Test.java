package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** FIN_WAIT_1: our FIN is out, not yet acknowledged. */
class FinWait1Test {
    private final TcbHarness h = new TcbHarness().finWait1();

    private Seg ourFin() {
        return seg().fin().seq(h.iss + 1).ack(P + 1).win(WIN);
    }

    @Test
    void finWait1AckOfOurFinMovesToFinWait2WithTheOrphanTimer() {
        h.at(secs(0.1)).send(seg().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.FIN_WAIT_2);
        assertEquals(secs(60.1), h.layer.nextDeadline());
    }

    @Test
    void finWait1AckOfDataButNotOfTheFinStays() {
        TcbHarness f = new TcbHarness().established();
        f.write("abc");
        f.drain();
        f.conn.close(f.now());
        f.expect(seg().fin().seq(f.iss + 4).ack(P + 1).win(WIN));
        f.send(seg().seq(P + 1).ack(f.iss + 4).win(WIN));
        f.expectNothing();
        f.expectState(TcpState.FIN_WAIT_1);
    }

    @Test
    void finWait1FinThatAcknowledgesOursGoesStraightToTimeWait() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expect(seg().seq(h.iss + 2).ack(P + 2).win(WIN));
        h.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void finWait1FinIsRetransmittedWithBackoffUntilTheOrphanRetriesRunOut() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withFinRetries(3, 15)).finWait1();
        f.at(secs(2.9)); // RTO 200 ms from the handshake's sample (RFC 6298 §2.2), doubling
        for (double t : new double[] {0.2, 0.6, 1.4}) {
            f.expectAt(secs(t), seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        }
        f.expectState(TcpState.FIN_WAIT_1);
        f.at(secs(3));
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, f.conn.error());
        assertEquals(3, f.layer.counters().retransSegs());
    }

    @Test
    void finWait1DefaultOrphanRetriesAreEightOnTheMeasuredRto() {
        h.at(secs(102.1)); // RTO 200 ms from the handshake, doubling; the ninth timeout gives up
        for (double t : new double[] {0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0}) {
            h.expectAt(secs(t), ourFin());
        }
        h.expectNothing();
        h.expectState(TcpState.FIN_WAIT_1);
        h.at(secs(102.2));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void finWait1AfterShutdownUsesRetries2() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withFinRetries(0, 2)).established();
        f.conn.shutdownOutput(f.now());
        f.expect(seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.at(secs(1.4));
        f.expectAt(secs(0.2), seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.expectAt(secs(0.6), seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, f.conn.error());
    }

    @Test
    void finWait1AfterShutdownStillReceivesData() {
        TcbHarness f = new TcbHarness().established();
        f.conn.shutdownOutput(f.now());
        f.expect(seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(WIN).payload("more"));
        f.expect(seg().seq(f.iss + 2).ack(P + 5).win(WIN));
        assertEquals("more", f.readAll());
    }

    @Test
    void finWait1DataAfterCloseGetsRstAsLinuxDoes() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("late"));
        h.expect(seg().rst().seq(h.iss + 1));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ECONNRESET, h.conn.error());
    }

    @Test
    void finWait1RstAtRcvNxtCloses() {
        h.send(seg().rst().seq(P + 1));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(0, h.layer.counters().estabResets());
    }

    @Test
    void finWait1SynGetsAChallengeAck() {
        h.send(seg().syn().seq(P + 77).win(100));
        h.expect(seg().seq(h.iss + 2).ack(P + 1).win(WIN));
        h.expectState(TcpState.FIN_WAIT_1);
    }

    @Test
    void finWait1AckOfUnsentSequenceGetsAChallengeAckAsLinuxDoes() {
        h.send(seg().seq(P + 1).ack(h.iss + 50).win(WIN));
        h.expect(seg().seq(h.iss + 2).ack(P + 1).win(WIN));
        h.expectState(TcpState.FIN_WAIT_1);
    }

    @Test
    void finWait1WriteFailsWithBrokenPipe() {
        TcpException e = assertThrows(TcpException.class, () -> h.write("x"));
        assertEquals(TcpError.EPIPE, e.error());
    }

    @Test
    void finWait1FinWaitsForQueuedDataAndRidesOnItsLastSegment() {
        TcbHarness f = new TcbHarness().established();
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(0));
        f.write("abc");
        f.conn.close(f.now());
        f.expectNothing();
        f.expectState(TcpState.FIN_WAIT_1);
        f.send(seg().seq(P + 1).ack(f.iss + 1).win(WIN));
        f.expect(seg().fin().psh().seq(f.iss + 1).ack(P + 1).win(WIN).payload("abc"));
        f.send(seg().seq(P + 1).ack(f.iss + 5).win(WIN));
        f.expectState(TcpState.FIN_WAIT_2);
    }
}
