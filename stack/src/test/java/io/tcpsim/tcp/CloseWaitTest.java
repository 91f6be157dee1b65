package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CLOSE_WAIT: the peer's FIN is in; we may still send until the application closes. */
class CloseWaitTest {
    private final TcbHarness h = new TcbHarness().closeWait();

    @Test
    void closeWaitWriteStillSendsData() {
        h.write("reply");
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 2).win(WIN).payload("reply"));
    }

    @Test
    void closeWaitShutdownOutputSendsFinAndGoesToLastAck() {
        h.conn.shutdownOutput(h.now());
        h.expect(seg().fin().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.LAST_ACK);
    }

    @Test
    void closeWaitRetransmittedFinIsAcknowledgedAgain() {
        h.send(seg().fin().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expect(seg().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSE_WAIT);
    }

    @Test
    void closeWaitRstAtRcvNxtGivesBrokenPipeAsLinuxDoes() {
        h.send(seg().rst().seq(P + 2));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.EPIPE, h.conn.error());
        assertEquals(1, h.layer.counters().estabResets());
        assertEquals(0, h.layer.counters().currEstab());
    }

    @Test
    void closeWaitRstAtTheFinSequenceIsAcceptedAsLinuxDoes() {
        h.send(seg().rst().seq(P + 1));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void closeWaitRstInWindowGetsAChallengeAck() {
        h.send(seg().rst().seq(P + 30));
        h.expect(seg().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSE_WAIT);
    }

    @Test
    void closeWaitDataBeyondTheFinIsIgnored() {
        h.send(seg().seq(P + 2).ack(h.iss + 1).win(WIN).payload("ghost"));
        h.expectNothing();
        assertEquals(0, h.conn.readable());
    }

    @Test
    void closeWaitCloseWithUnreadDataSendsRst() {
        TcbHarness f = new TcbHarness().established();
        f.send(seg().fin().seq(P + 1).ack(f.iss + 1).win(WIN).payload("unread"));
        f.expectNothing(); // Linux tcp_fin(): the ACK of a FIN in ESTABLISHED waits for the delayed-ACK timer
        f.conn.close(f.now());
        f.expect(seg().rst().seq(f.iss + 1).ack(P + 8).win(WIN));
        f.expectState(TcpState.CLOSED);
    }

    @Test
    void closeWaitAbortSendsRst() {
        h.conn.abort(h.now());
        h.expect(seg().rst().seq(h.iss + 1).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void closeWaitLastsUntilTheApplicationCloses() {
        h.at(secs(7200));
        h.expectNothing();
        h.expectState(TcpState.CLOSE_WAIT);
    }

    @Test
    void closeWaitAckOfOurDataSignalsWritable() {
        h.write("r");
        h.drain();
        h.events.clear();
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        assertEquals(java.util.List.of("writable"), h.events);
    }
}
