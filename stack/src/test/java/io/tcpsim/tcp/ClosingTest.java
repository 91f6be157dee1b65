package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CLOSING: simultaneous close, both FINs crossed, ours not yet acknowledged. */
class ClosingTest {
    private final TcbHarness h = new TcbHarness().closing();

    @Test
    void closingAckOfOurFinGoesToTimeWait() {
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.TIME_WAIT);
        assertEquals(secs(60), h.layer.nextDeadline());
    }

    @Test
    void closingOurFinIsRetransmitted() {
        h.at(secs(0.2)); // the RTO from the handshake's RTT sample
        h.expectAt(secs(0.2), seg().fin().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSING);
    }

    @Test
    void closingRetransmittedPeerFinIsAcknowledged() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 2).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSING);
    }

    @Test
    void closingRetransmittedPeerFinAcknowledgingOursGoesToTimeWait() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void closingRstAtRcvNxtCloses() {
        h.send(seg().rst().seq(P + 2));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ECONNRESET, h.conn.error());
    }

    @Test
    void closingRstAtTheFinSequenceIsAcceptedAsLinuxDoes() {
        h.send(seg().rst().seq(P + 1));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void closingGivesUpAfterTheOrphanRetries() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withFinRetries(1, 15)).closing();
        f.at(secs(0.6));
        f.expectAt(secs(0.2), seg().fin().seq(f.iss + 1).ack(P + 2).win(WIN));
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, f.conn.error());
    }
}
