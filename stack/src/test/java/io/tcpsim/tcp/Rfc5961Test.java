package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.KEY;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RFC 5961 against blind attacks, with Linux 6.x's choices: §5 (the ACK acceptability test
 * against data injection), the per-connection challenge-ACK limit for data too, the global
 * budget, and §3/§4 under a sweep of guesses (EstablishedTest has the single cases).
 */
class Rfc5961Test {
    private final TcbHarness h = new TcbHarness().established();

    /** We send {@code n} bytes and the peer acknowledges them all: SND.UNA = ISS + 1 + n. */
    private int sentAndAcked(int n) {
        h.write("x".repeat(n));
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 1 + n).win(WIN));
        h.drain();
        assertEquals(h.iss + 1 + n, h.conn.sndUna());
        return h.iss + 1 + n;
    }

    @Test
    void rfc5961DataWithAnAckWithinMaxSndWndBehindSndUnaIsTaken() {
        int una = sentAndAcked(3000);
        h.send(seg().psh().seq(P + 1).ack(una - 3000).win(WIN).payload("hello"));
        assertEquals(5, h.conn.readable());
        assertEquals(0, h.layer.counters().challengeAcks());
    }

    @Test
    void rfc5961DataWithAnAckOlderThanMaxSndWndGetsAChallengeAckAndIsDropped() {
        int una = sentAndAcked(3000);
        // Linux tcp_ack(): MAX.SND.WND is min(max_window, bytes_acked) = 3000 here.
        h.send(seg().psh().seq(P + 1).ack(una - 3001).win(WIN).payload("hello"));
        h.expect(seg().seq(una).ack(P + 1).win(WIN));
        assertEquals(0, h.conn.readable());
        assertEquals(1, h.layer.counters().challengeAcks());
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void rfc5961BeforeAnyDataIsAcknowledgedAnyOldAckIsChallenged() {
        h.send(seg().psh().seq(P + 1).ack(h.iss).win(WIN).payload("hello"));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertEquals(0, h.conn.readable());
    }

    @Test
    void rfc5961DataAcknowledgingUnsentBytesIsDroppedSilentlyAsLinuxDoes() {
        h.send(seg().psh().seq(P + 1).ack(h.iss + 100).win(WIN).payload("hello"));
        h.expectNothing();
        assertEquals(0, h.conn.readable());
    }

    @Test
    void rfc5961ChallengeAcksForInjectedDataAreRateLimitedPerConnection() {
        int una = sentAndAcked(3000);
        h.send(seg().psh().seq(P + 1).ack(una - 10_000).win(WIN).payload("a"));
        h.at(ms(100)).send(seg().psh().seq(P + 1).ack(una - 20_000).win(WIN).payload("b"));
        h.expect(seg().seq(una).ack(P + 1).win(WIN));
        h.expectNothing();
        assertEquals(1, h.layer.counters().challengeAcks());
        assertEquals(1, h.layer.counters().ackSkippedChallenge());
        assertEquals(0, h.conn.readable());
    }

    @Test
    void rfc5961RstSweepAcrossTheWindowNeverResetsAndAnswersAtMostOncePer500ms() {
        int window = h.conn.tcb.rcvWnd;
        int guesses = 0;
        for (int off = 1; off < window; off += 97) {
            h.send(seg().rst().seq(P + 1 + off));
            guesses++;
        }
        h.send(seg().rst().seq(P + 1 - 5000)); // before the window
        h.send(seg().rst().seq(P + 1 + window + 5000)); // after it
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(1, h.layer.counters().challengeAcks());
        assertEquals(guesses - 1, h.layer.counters().ackSkippedChallenge());
        h.at(secs(0.5)).send(seg().rst().seq(P + 1));
        h.expectState(TcpState.CLOSED); // only the exact guess resets
    }

    @Test
    void rfc5961SynSweepNeverResetsAndIsChallenged() {
        for (int seq = 0; seq < 1 << 20; seq += 4099) {
            h.send(seg().syn().seq(P + seq).win(65535).mss(1460));
        }
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        h.send(seg().psh().seq(P + 1).ack(h.iss + 1).win(WIN).payload("ok"));
        assertEquals("ok", h.readAll());
    }

    @Test
    void rfc5961GlobalBudgetIsDrawnPerSecondBetweenHalfTheLimitAndOneAndAHalfTimesIt() {
        TcpHost host = new TcpHost(TcpConfig.linuxDefaults(1500).withChallengeAckLimit(100), new IsnGenerator(KEY),
                (t, s) -> { });
        Set<Integer> budgets = new HashSet<>();
        for (int second = 0; second < 50; second++) {
            int allowed = 0;
            while (host.challengeAckAllowed(secs(second)) && allowed < 1000) {
                allowed++;
            }
            assertTrue(allowed >= 50 && allowed <= 149, "budget " + allowed);
            budgets.add(allowed);
        }
        assertTrue(budgets.size() > 10, "drawn, not fixed: " + budgets);
    }

    @Test
    void rfc5961GlobalLimitIsOffByDefaultAsInLinux6() {
        TcpHost host = new TcpHost(TcpConfig.linuxDefaults(1500), new IsnGenerator(KEY), (t, s) -> { });
        for (int i = 0; i < 100_000; i++) {
            assertTrue(host.challengeAckAllowed(0));
        }
    }
}
