package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** LAST_ACK: both FINs sent, waiting for the ACK of ours. */
class LastAckTest {
    private final TcbHarness h = new TcbHarness().lastAck();

    private Seg ourFin() {
        return seg().fin().seq(h.iss + 1).ack(P + 2).win(WIN);
    }

    @Test
    void lastAckAckOfOurFinClosesAndDeletesTheTcb() {
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertNull(h.layer.connection(h.tuple()));
        assertEquals(0, h.layer.counters().estabResets());
        assertEquals(List.of("readable", "closed null"), h.events);
    }

    @Test
    void lastAckSecondAckAfterCloseGetsAStrayRst() {
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expect(seg().rst().seq(h.iss + 2));
    }

    @Test
    void lastAckFinIsRetransmittedAt0_2_0_6_1_4sOnTheHandshakeRto() {
        h.at(secs(1.4));
        h.expectAt(secs(0.2), ourFin());
        h.expectAt(secs(0.6), ourFin());
        h.expectAt(secs(1.4), ourFin());
        h.expectState(TcpState.LAST_ACK);
    }

    @Test
    void lastAckGivesUpAfterTheOrphanRetries() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withFinRetries(2, 15)).lastAck();
        f.at(secs(1.4));
        f.expectAt(secs(0.2), seg().fin().seq(f.iss + 1).ack(P + 2).win(WIN));
        f.expectAt(secs(0.6), seg().fin().seq(f.iss + 1).ack(P + 2).win(WIN));
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, f.conn.error());
    }

    @Test
    void lastAckRetransmittedPeerFinIsAcknowledgedAgain() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 2).ack(P + 2).win(WIN));
        h.expectState(TcpState.LAST_ACK);
    }

    @Test
    void lastAckOldAckKeepsWaiting() {
        h.send(seg().seq(P + 2).ack(h.iss + 1).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.LAST_ACK);
    }

    @Test
    void lastAckRstAtRcvNxtCloses() {
        h.send(seg().rst().seq(P + 2));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void lastAckAbortAfterTheFinWentOutSendsNothing() {
        TcbHarness f = new TcbHarness().closeWait();
        f.conn.shutdownOutput(f.now());
        f.expect(seg().fin().seq(f.iss + 1).ack(P + 2).win(WIN));
        f.conn.abort(f.now());
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
    }
}
