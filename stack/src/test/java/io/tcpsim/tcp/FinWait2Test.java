package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.time.Clock;
import org.junit.jupiter.api.Test;

/** FIN_WAIT_2: our FIN is acknowledged; waiting for the peer's. */
class FinWait2Test {
    private final TcbHarness h = new TcbHarness().finWait2();

    /** established(), shutdownOutput(), the ACK of our FIN: FIN_WAIT_2 with the socket still open. */
    private static TcbHarness halfClosed() {
        TcbHarness f = new TcbHarness().established();
        f.conn.shutdownOutput(f.now());
        f.expect(seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.send(seg().seq(P + 1).ack(f.iss + 2).win(WIN));
        f.expectState(TcpState.FIN_WAIT_2);
        return f;
    }

    @Test
    void finWait2FinGoesToTimeWaitAndIsAcknowledged() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expect(seg().seq(h.iss + 2).ack(P + 2).win(WIN));
        h.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void finWait2OrphanGivesUpSilentlyAfterFinTimeout() {
        h.at(secs(59.9));
        h.expectState(TcpState.FIN_WAIT_2);
        h.at(secs(60));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(1, h.layer.counters().timeWaited());
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expect(seg().rst().seq(h.iss + 2));
    }

    @Test
    void finWait2OrphanTimeoutComesFromTheConfig() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withFinTimeout(java.time.Duration.ofSeconds(5)))
                .finWait2();
        f.at(secs(5));
        f.expectState(TcpState.CLOSED);
    }

    @Test
    void finWait2AfterShutdownWaitsWithoutATimer() {
        TcbHarness f = halfClosed();
        assertEquals(Clock.NO_DEADLINE, f.layer.nextDeadline());
        f.at(secs(3600));
        f.expectState(TcpState.FIN_WAIT_2);
    }

    @Test
    void finWait2CloseAfterShutdownStartsTheOrphanTimer() {
        TcbHarness f = halfClosed();
        f.at(secs(100));
        f.conn.close(f.now());
        f.expectNothing();
        assertEquals(secs(160), f.layer.nextDeadline());
    }

    @Test
    void finWait2AfterShutdownDataAndFinAreDelivered() {
        TcbHarness f = halfClosed();
        f.send(seg().fin().psh().seq(P + 1).ack(f.iss + 2).win(WIN).payload("tail"));
        f.expect(seg().seq(f.iss + 2).ack(P + 6).win(WIN));
        f.expectState(TcpState.TIME_WAIT);
        assertEquals("tail", f.readAll());
        assertEquals(-1, f.conn.read(new byte[1], 0, 1, f.now()));
    }

    @Test
    void finWait2DataAfterCloseGetsRst() {
        h.send(seg().seq(P + 1).ack(h.iss + 2).win(WIN).payload("x"));
        h.expect(seg().rst().seq(h.iss + 2));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void finWait2RstInWindowGetsAChallengeAck() {
        h.send(seg().rst().seq(P + 2));
        h.expect(seg().seq(h.iss + 2).ack(P + 1).win(WIN));
        h.expectState(TcpState.FIN_WAIT_2);
    }

    @Test
    void finWait2RstAtRcvNxtCloses() {
        h.send(seg().rst().seq(P + 1));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void finWait2DuplicateAckIsIgnored() {
        h.send(seg().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.FIN_WAIT_2);
    }
}
