package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * TCP_CORK and MSG_MORE as Linux: what they hold back goes when the cork is pulled, when an ACK
 * finds nothing in flight (MSG_MORE held only its own call), or at the latest on the persist
 * timer one RTO later (tcp_check_probe_timer(), tcp_write_wakeup(): tcp(7)'s 200 ms ceiling);
 * setting TCP_NODELAY pushes what waits once (TCP_NAGLE_PUSH).
 */
class CorkTest {
    private static final String MSS = "s".repeat(1460);
    private final TcbHarness h = new TcbHarness().established();

    private Seg data(int offset, String text) {
        return seg().seq(h.iss + 1 + offset).ack(P + 1).win(WIN).payload(text);
    }

    private void peerAcks(int offset) {
        h.send(seg().seq(P + 1).ack(h.iss + 1 + offset).win(WIN));
    }

    private int writeMore(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return h.conn.write(bytes, 0, bytes.length, true, h.now());
    }

    @Test
    void corkedSmallWriteGoesWithPshOnThePersistTimerAfterAnRto() {
        long rto = h.conn.rto();
        h.conn.setCork(true, h.now());
        h.write("ab");
        h.expectNothing();
        h.at(rto - 1);
        h.expectNothing();
        h.at(rto);
        h.expectAt(rto, data(0, "ab").psh());
        assertEquals(Long.MAX_VALUE, h.conn.persistAt);
    }

    @Test
    void corkedTailAfterFullSegmentsWaitsForTheTimerNotTheAck() {
        h.conn.setCork(true, h.now());
        h.write(MSS + "x");
        h.expect(data(0, MSS));
        peerAcks(1460);
        h.expectNothing();
        long rto = h.conn.rto();
        h.advance(rto);
        h.expect(data(1460, "x").psh());
    }

    @Test
    void msgMoreHoldsTheTailOnlyForItsCall_theAckReleasesIt() {
        assertEquals(1461, writeMore(MSS + "x"));
        h.expect(data(0, MSS));
        h.expectNothing();
        peerAcks(1460);
        h.expect(data(1460, "x").psh());
    }

    @Test
    void msgMoreAloneGoesOnThePersistTimer() {
        writeMore("ab");
        h.expectNothing();
        h.advance(h.conn.rto());
        h.expect(data(0, "ab").psh());
    }

    @Test
    void msgMoreThenAPlainWriteSendsBothTogether() {
        writeMore("ab");
        h.write("cd");
        h.expect(data(0, "abcd").psh());
        h.expectNothing();
        assertEquals(false, h.conn.cork());
    }

    @Test
    void noDelayWhileCorkedPushesWhatWaitsOnce_laterWritesStayCorked() {
        h.conn.setCork(true, h.now());
        h.write("ab");
        h.expectNothing();
        h.conn.setNoDelay(true, h.now());
        h.expect(data(0, "ab").psh());
        peerAcks(2);
        h.write("cd");
        h.expectNothing();
        h.advance(h.conn.rto());
        h.expect(data(2, "cd").psh());
    }

    @Test
    void corkedDataQueuedCountsAsUnsentUntilItGoes() {
        h.conn.setCork(true, h.now());
        h.write("abc");
        assertEquals(3, h.conn.unacknowledged());
        assertEquals(3, h.conn.unsent());
        h.conn.setCork(false, h.now());
        h.expect(data(0, "abc").psh());
        assertEquals(3, h.conn.unacknowledged());
        assertEquals(0, h.conn.unsent());
        h.conn.close(h.now());
        h.expect(seg().fin().seq(h.iss + 4).ack(P + 1).win(WIN));
        assertEquals(4, h.conn.unacknowledged());
        peerAcks(4);
        assertEquals(0, h.conn.unacknowledged());
    }
}
