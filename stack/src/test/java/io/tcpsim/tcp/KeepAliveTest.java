package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keep-alives (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6) as Linux tcp_keepalive_timer(): off by
 * default, 7200 s idle, a probe every 75 s, 9 unanswered probes, then RST and ETIMEDOUT.
 */
class KeepAliveTest {
    private final TcbHarness h = new TcbHarness().established();

    /** Linux tcp_xmit_probe_skb(): an ACK at SND.UNA - 1 without data. */
    private Seg probe() {
        return seg().seq(h.iss).ack(P + 1).win(WIN);
    }

    private void peerAnswers() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
    }

    @Test
    void keepAliveIsOffByDefaultSoAnIdleConnectionSendsNothing() {
        h.at(secs(3 * 7200));
        h.expectNothing();
        assertEquals(Clock.NO_DEADLINE, h.conn.nextDeadline());
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void keepAliveProbesAfterTwoHoursIdleWithSndUnaMinusOne() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(7199.999));
        h.expectNothing();
        h.at(secs(7200));
        h.expectAt(secs(7200), probe());
        h.expectNothing();
    }

    @Test
    void ssShowsTheKeepaliveTimerWithItsUnansweredProbes() {
        h.conn.setKeepAlive(true, h.now());
        assertEquals(new TcpTimer(TcpTimer.Kind.KEEPALIVE, secs(7200), 0), h.conn.timer(h.now()));
        h.at(secs(7200));
        h.expectAt(secs(7200), probe());
        assertEquals(new TcpTimer(TcpTimer.Kind.KEEPALIVE, secs(75), 1), h.conn.timer(h.now())); // Linux: timer:(keepalive,1min15sec,1)
    }

    @Test
    void keepAliveUnansweredNineProbesEveryIntervalThenRstAndEtimedout() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(7874.9));
        for (int i = 0; i < 9; i++) {
            h.expectAt(secs(7200 + 75 * i), probe());
        }
        h.expectNothing();
        h.expectState(TcpState.ESTABLISHED);
        h.at(secs(7875));
        // Linux: tcp_keepalive_timer() sends a RST before tcp_write_err(), unlike a retransmission timeout.
        h.expectAt(secs(7875), seg().rst().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
        assertEquals(List.of("closed ETIMEDOUT"), h.events);
    }

    @Test
    void keepAliveAnsweredProbeResetsTheCountAndTheIdleTime() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(7275));
        h.expectAt(secs(7200), probe());
        h.expectAt(secs(7275), probe());
        h.at(secs(7280));
        peerAnswers();
        h.expectNothing();
        h.at(secs(7280 + 7199.9));
        h.expectNothing(); // the timer at 7350 s found the peer heard from 70 s ago
        h.at(secs(7280 + 7200));
        h.expectAt(secs(7280 + 7200), probe());
        h.at(secs(7280 + 7200 + 8 * 75 + 1));
        for (int i = 1; i <= 8; i++) {
            h.expectAt(secs(7280 + 7200 + 75 * i), probe()); // nine unanswered again before the end
        }
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void keepAliveIdleCountsFromTheLastSegmentReceived() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(3600));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("ping"));
        h.expect(seg().seq(h.iss + 1).ack(P + 5).win(WIN));
        h.at(secs(3600 + 7199.9));
        h.expectNothing();
        h.at(secs(3600 + 7200));
        h.expectAt(secs(3600 + 7200), seg().seq(h.iss).ack(P + 5).win(WIN));
    }

    @Test
    void keepAliveSendsNoProbeWhileDataIsOutstanding() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(7199.9));
        h.write("late");
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("late"));
        h.at(secs(7200.1));
        // Linux: "alive without keepalive": at 7200 s the timer only waits another idle time.
        h.expectAt(secs(7200.1), seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("late"));
        h.expectNothing();
    }

    @Test
    void keepAliveSwitchedOnLateWaitsAWholeIdleTime() {
        h.at(secs(10_000));
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(10_000 + 7199.9));
        h.expectNothing(); // Linux tcp_set_keepalive(): not at once, though idle for longer already
        h.at(secs(17_200));
        h.expectAt(secs(17_200), probe());
    }

    @Test
    void keepAliveSwitchedOffStopsTheTimer() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(100));
        h.conn.setKeepAlive(false, h.now());
        h.at(secs(20_000));
        h.expectNothing();
        assertEquals(Clock.NO_DEADLINE, h.conn.nextDeadline());
    }

    @Test
    void keepAliveIdleChangedMovesTheRunningTimerFromTheLastSegmentReceived() {
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(100));
        h.conn.setKeepAliveIdle(Duration.ofSeconds(60), h.now());
        h.expectNothing();
        h.at(secs(100)); // idle for 100 s already: Linux re-arms the timer to fire at once
        h.expectAt(secs(100), probe());
        h.conn.setKeepAliveInterval(Duration.ofSeconds(5));
        h.conn.setKeepAliveProbes(2);
        h.at(secs(180));
        h.expectAt(secs(175), probe()); // Linux: TCP_KEEPINTVL does not move the running timer
        h.expectAt(secs(180), seg().rst().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void keepAliveShortSettingsProbeAndFailOnTheirOwnSchedule() {
        h.conn.setKeepAliveIdle(Duration.ofSeconds(10), h.now());
        h.conn.setKeepAliveInterval(Duration.ofSeconds(2));
        h.conn.setKeepAliveProbes(3);
        h.conn.setKeepAlive(true, h.now());
        h.at(secs(16));
        h.expectAt(secs(10), probe());
        h.expectAt(secs(12), probe());
        h.expectAt(secs(14), probe());
        h.expectAt(secs(16), seg().rst().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void keepAliveSetInSynSentStartsAtEstablishment() {
        TcbHarness a = new TcbHarness().synSent();
        a.conn.setKeepAliveIdle(Duration.ofSeconds(2), a.now());
        a.conn.setKeepAlive(true, a.now());
        a.at(secs(0.5)).send(seg().syn().seq(P).ack(a.iss + 1).win(65535).mss(1460).nop().wscale(7));
        a.expect(seg().seq(a.iss + 1).ack(P + 1).win(WIN));
        a.at(secs(2.4));
        a.expectNothing(); // Linux: the timer does nothing in SYN_SENT; tcp_finish_connect() starts it
        a.at(secs(2.5));
        a.expectAt(secs(2.5), seg().seq(a.iss).ack(P + 1).win(WIN));
    }

    @Test
    void keepAliveWithUserTimeoutFailsOnceIdleThatLongWithAProbeOut() {
        h.conn.setKeepAlive(true, h.now());
        h.conn.setUserTimeout(Duration.ofSeconds(7250));
        h.at(secs(7275));
        h.expectAt(secs(7200), probe());
        // Linux: with TCP_USER_TIMEOUT the idle time decides, not TCP_KEEPCNT.
        h.expectAt(secs(7275), seg().rst().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
    }

    @Test
    void keepAliveWithALongUserTimeoutGoesOnPastTheProbeCount() {
        h.conn.setKeepAlive(true, h.now());
        h.conn.setUserTimeout(Duration.ofSeconds(100_000));
        h.at(secs(7200 + 75 * 10));
        for (int i = 0; i <= 10; i++) {
            h.expectAt(secs(7200 + 75 * i), probe());
        }
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void keepAliveInCloseWaitProbesToo() {
        TcbHarness c = new TcbHarness().closeWait();
        c.conn.setKeepAlive(true, c.now());
        c.at(secs(7200));
        c.expectAt(secs(7200), seg().seq(c.iss).ack(P + 2).win(WIN));
    }

    @Test
    void keepAliveOfAListenersChildIsSetUpBeforeItIsEstablished() {
        TcbHarness l = new TcbHarness();
        l.listening();
        l.listener.setChildSetup((child, now) -> child.setKeepAlive(true, now));
        l.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        l.conn = l.layer.connection(l.tuple());
        l.iss = l.conn.iss();
        l.drain();
        l.at(secs(1.5)); // the SYN-ACK goes again at 1 s
        l.drain();
        l.send(seg().seq(P + 1).ack(l.iss + 1).win(WIN));
        l.at(secs(7201.5));
        l.expectAt(secs(7201.5), seg().seq(l.iss).ack(P + 1).win(WIN));
    }

    @Test
    void keepAliveInTimeWaitArmsNothing() {
        TcbHarness t = new TcbHarness().timeWait();
        t.conn.setKeepAlive(true, t.now());
        assertEquals(secs(60), t.conn.nextDeadline());
    }
}
