package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TCP_USER_TIMEOUT (RFC 5482) with Linux's semantics: counted from the first retransmission
 * (retrans_stamp), it replaces tcp_retries2, clamps the retransmission timer so the connection
 * fails on time, bounds SYN retries and zero-window probing, and fails with ETIMEDOUT, no RST.
 */
class UserTimeoutTest {
    private final TcbHarness h = new TcbHarness().established();

    private Seg abc() {
        return seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("abc");
    }

    @Test
    void aTailLossProbeStartsTheUserTimeoutAndTheConnectionFailsThatLongAfterIt() {
        TcbHarness s = SackFixtures.establishedWithSack(new TcbHarness(), TcbHarness.ms(100));
        s.conn.setUserTimeout(Duration.ofMillis(500));
        s.write("abc");
        Seg data = seg().psh().seq(s.iss + 1).ack(P + 1).win(WIN).payload("abc");
        s.expect(data);
        s.at(secs(0.7999));
        // RFC 8985 §7.2: one segment out, the probe at the RTO (300 ms) sends it again; the RTO from
        // the probe at 0.6 s; the next one (1.2 s) is cut to the user timeout's end, 0.5 s after the probe.
        s.expectAt(secs(0.3), data);
        s.expectAt(secs(0.6), data);
        s.expectNothing();
        assertEquals(1, s.layer.counters().lossProbes());
        assertEquals(secs(0.8), s.conn.nextDeadline());
        s.at(secs(0.8));
        s.expectNothing();
        s.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, s.conn.error());
    }

    @Test
    void userTimeoutEndsUnacknowledgedDataOnTimeWithoutRst() {
        h.conn.setUserTimeout(Duration.ofSeconds(3));
        h.write("abc");
        h.expect(abc());
        h.at(secs(3.1999));
        // RTO 200 ms doubling from the first retransmission at 0.2 s; the timer at 3.0 s is cut to 0.2 s.
        for (double t : new double[] {0.2, 0.6, 1.4, 3.0}) {
            h.expectAt(secs(t), abc());
        }
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(3.2));
        h.expectNothing(); // Linux tcp_write_err(): no RST
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
        assertEquals(List.of("closed ETIMEDOUT"), h.events);
    }

    @Test
    void userTimeoutLongerThanTheRetries2TimeKeepsRetransmitting() {
        h.conn.setUserTimeout(Duration.ofSeconds(2000));
        h.write("abc");
        h.drain();
        h.at(secs(924.6)); // where tcp_retries2 would have given up
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(16, h.layer.counters().retransSegs());
        h.at(secs(2000.1999));
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(2000.2)); // 2000 s after the first retransmission; the last RTO cut short to reach it
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
        assertEquals(24, h.layer.counters().retransSegs());
    }

    @Test
    void userTimeoutCountsAgainOnceEverythingWasAcknowledged() {
        h.conn.setUserTimeout(Duration.ofSeconds(3));
        h.write("abc");
        h.at(secs(0.7)); // sent again at 0.2 and 0.6 s
        h.send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        h.drain();
        h.at(secs(10));
        h.write("def");
        h.at(secs(13.7999));
        h.expectState(TcpState.ESTABLISHED); // the first episode's start would have ended it at 3.2 s
        // Karn kept the doubled RTO: 0.8 s, so again at 10.8 s; 3 s from there, the timer cut at 12.4 + 1.4 s.
        h.at(secs(13.8));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void userTimeoutShortensSynRetries() {
        TcbHarness a = new TcbHarness().synSent();
        a.conn.setUserTimeout(Duration.ofSeconds(5));
        a.at(secs(4.999));
        Seg syn = a.ourSyn();
        a.expectAt(secs(1), syn);
        a.expectAt(secs(3), syn);
        a.expectNothing();
        a.at(secs(5)); // from the SYN (Linux: retrans_stamp set by tcp_connect()), the 4 s backoff cut to 2 s
        a.expectNothing();
        a.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, a.conn.error());
    }

    @Test
    void userTimeoutEndsZeroWindowProbingThoughThePeerAnswers() {
        h.conn.setUserTimeout(Duration.ofSeconds(1));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(0));
        h.write("data");
        h.expectNothing();
        Seg probe = seg().seq(h.iss).ack(P + 1).win(WIN);
        h.at(secs(0.2));
        h.expectAt(secs(0.2), probe);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(0));
        h.at(secs(0.6));
        h.expectAt(secs(0.6), probe);
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(0));
        h.at(secs(1.1999));
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(1.2)); // 1 s after the first probe timer (Linux icsk_probes_tstamp), the 0.8 s backoff cut
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
    }

    @Test
    void userTimeoutCountOfZeroWindowProbingRestartsWhenTheWindowOpens() {
        h.conn.setUserTimeout(Duration.ofSeconds(1));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(0));
        h.write("data");
        h.at(secs(0.6));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 5).win(0));
        h.write("more");
        h.at(secs(1.5));
        h.expectState(TcpState.ESTABLISHED); // the first probing began at 0.2 s; this one at 0.8 s
        h.at(secs(2.0));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void userTimeoutOfZeroMeansRetries2() {
        h.conn.setUserTimeout(Duration.ofSeconds(3));
        h.conn.setUserTimeout(Duration.ZERO);
        h.write("abc");
        h.at(secs(924.5));
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(924.6));
        h.expectState(TcpState.CLOSED);
    }
}
