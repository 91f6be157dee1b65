package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The send side: Nagle, TCP_NODELAY, TCP_CORK, IW10, the persist timer. */
class SendTest {
    private static final String MSS = "s".repeat(1460);
    private final TcbHarness h = new TcbHarness().established();

    private Seg data(int offset, String text) {
        return seg().seq(h.iss + 1 + offset).ack(P + 1).win(WIN).payload(text);
    }

    private void peerAcks(int offset, int window) {
        h.send(seg().seq(P + 1).ack(h.iss + 1 + offset).win(window));
    }

    @Test
    void establishedSmallWriteWhileASmallSegmentIsUnacknowledgedWaitsForItsAck() {
        h.write("a");
        h.expect(data(0, "a").psh());
        h.write("b");
        h.write("c");
        h.expectNothing();
        peerAcks(1, WIN);
        h.expect(data(1, "bc").psh());
    }

    @Test
    void establishedNoDelaySendsEverySmallWriteAtOnce() {
        h.conn.setNoDelay(true, h.now());
        h.write("a");
        h.write("b");
        h.expect(data(0, "a").psh());
        h.expect(data(1, "b").psh());
    }

    @Test
    void establishedFullSegmentsGoEvenWhileASmallOneIsUnacknowledged() {
        h.write("a");
        h.expect(data(0, "a").psh());
        h.write(MSS + "z");
        h.expect(data(1, MSS));
        h.expectNothing();
    }

    @Test
    void establishedCorkHoldsSmallWritesUntilUncorked() {
        h.conn.setCork(true, h.now());
        h.write("ab");
        h.write("cd");
        h.expectNothing();
        h.conn.setCork(false, h.now());
        h.expect(data(0, "abcd").psh());
    }

    @Test
    void establishedCorkStillSendsFullSegments() {
        h.conn.setCork(true, h.now());
        h.write(MSS + "x");
        h.expect(data(0, MSS));
        h.expectNothing();
    }

    @Test
    void establishedFinIsNotHeldByCork() {
        h.conn.setCork(true, h.now());
        h.write("ab");
        h.conn.shutdownOutput(h.now());
        h.expect(data(0, "ab").psh().fin());
    }

    /** Linux tcp_push(): the segment carrying the end of a write has PSH, even with more queued behind it. */
    @Test
    void establishedTheSegmentThatEndsAWriteHasPshThoughMoreIsQueued() {
        String first = "a".repeat(2000);
        String second = "b".repeat(2000);
        peerAcks(0, 0); // a zero window: both writes wait in the queue
        h.write(first);
        h.write(second);
        h.expectNothing();
        peerAcks(0, WIN);
        h.expect(data(0, first.substring(0, 1460)));
        h.expect(data(1460, first.substring(1460) + second.substring(0, 920)).psh()); // ends the first write
        h.expect(data(2920, second.substring(920)).psh());
    }

    @Test
    void establishedInitialWindowIsTenSegments() {
        assertEquals(10 * 1460, h.conn.cwnd());
        h.write(MSS.repeat(12));
        for (int i = 0; i < 10; i++) {
            h.expect(data(1460 * i, MSS));
        }
        h.expectNothing();
        peerAcks(1460, WIN);
        h.expect(data(14600, MSS));
        h.expect(data(16060, MSS).psh());
    }

    @Test
    void establishedZeroWindowIsProbedOnABackingOffPersistTimer() {
        peerAcks(0, 0);
        h.write("data");
        h.expectNothing();
        h.at(secs(0.6)); // Linux tcp_probe0_when(): the RTO (200 ms after the handshake's sample), doubling
        h.expectAt(secs(0.2), seg().seq(h.iss).ack(P + 1).win(WIN));
        h.expectAt(secs(0.6), seg().seq(h.iss).ack(P + 1).win(WIN));
        h.expectNothing();
        peerAcks(0, WIN);
        h.expect(data(0, "data").psh());
        assertEquals(Long.MAX_VALUE, h.conn.persistAt);
    }

    @Test
    void establishedUnansweredZeroWindowProbesEndInEtimedout() {
        peerAcks(0, 0);
        h.write("data");
        h.at(secs(2000));
        for (int i = 0; i < 15; i++) {
            h.expect(seg().seq(h.iss).ack(P + 1).win(WIN));
        }
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
    }

    @Test
    void establishedAnsweredZeroWindowProbesKeepTheConnection() {
        peerAcks(0, 0);
        h.write("data");
        for (int i = 0; i < 20; i++) {
            h.advance(secs(120));
            h.drain();
            peerAcks(0, 0);
        }
        h.expectState(TcpState.ESTABLISHED);
    }
}
