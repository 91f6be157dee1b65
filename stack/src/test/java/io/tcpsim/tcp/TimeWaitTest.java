package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TIME_WAIT (RFC 9293 §3.10.7.4, Linux tcp_timewait_state_process()). */
class TimeWaitTest {
    private final TcbHarness h = new TcbHarness().timeWait();

    private Seg ourAck() {
        return seg().seq(h.iss + 2).ack(P + 2).win(WIN);
    }

    @Test
    void timeWaitEndsAfter60sAndCountsTw() {
        h.at(secs(59.999));
        h.expectState(TcpState.TIME_WAIT);
        h.at(secs(60));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertNull(h.layer.connection(h.tuple()));
        assertEquals(1, h.layer.counters().timeWaited());
    }

    @Test
    void timeWaitLengthComesFromTheConfig() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimeWait(Duration.ofMillis(200))).timeWait();
        f.at(ms(200));
        f.expectState(TcpState.CLOSED);
    }

    @Test
    void timeWaitRetransmittedFinIsAcknowledgedAndRestartsTheTimer() {
        h.at(secs(30)).send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expect(ourAck());
        h.at(secs(89.9));
        h.expectState(TcpState.TIME_WAIT);
        h.at(secs(90));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void timeWaitBareAckAtRcvNxtRestartsTheTimerSilently() {
        h.at(secs(10)).send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        assertEquals(secs(70), h.layer.nextDeadline());
    }

    @Test
    void timeWaitRstAtRcvNxtClosesWithoutRfc1337AsLinuxDefaultDoes() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withRfc1337(false)).timeWait();
        f.send(seg().rst().seq(P + 2));
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
        assertEquals(0, f.layer.counters().timeWaited());
    }

    @Test
    void timeWaitRstIsIgnoredByDefaultPerRfc1337() {
        h.send(seg().rst().seq(P + 2));
        h.expectNothing();
        h.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void timeWaitRstNotAtRcvNxtIsIgnored() {
        h.send(seg().rst().seq(P + 50));
        h.send(seg().rst().ack(h.iss + 2).seq(P + 1));
        h.expectNothing();
        h.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void timeWaitNewerSynReopensWithAnIssPastTheOldSndNxt() {
        h.at(secs(5)).send(seg().syn().seq(P + 100_000).win(65535).mss(1460).nop().wscale(7));
        TcpConnection reopened = h.layer.connection(h.tuple());
        assertNotSame(h.conn, reopened);
        assertEquals(TcpState.SYN_RECEIVED, reopened.state());
        assertEquals(h.iss + 2 + 65537, reopened.iss());
        h.expect(seg().syn().seq(h.iss + 2 + 65537).ack(P + 100_001).win(SYN_WIN).mss(1460).nop().wscale(7));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void timeWaitOldSynIsAnsweredWithAnAckAndDoesNotReopen() {
        h.send(seg().syn().seq(P).win(65535).mss(1460));
        h.expect(ourAck());
        h.expectState(TcpState.TIME_WAIT);
        h.at(ms(100)).send(seg().syn().seq(P).win(65535).mss(1460));
        h.expectNothing();
    }

    @Test
    void timeWaitNewerSynWithoutAListenerGetsAnAck() {
        TcbHarness f = new TcbHarness().connected();
        f.conn.close(f.now());
        f.expect(seg().fin().seq(f.iss + 1).ack(P + 1).win(WIN));
        f.send(seg().fin().seq(P + 1).ack(f.iss + 2).win(WIN));
        f.expect(seg().seq(f.iss + 2).ack(P + 2).win(WIN));
        f.expectState(TcpState.TIME_WAIT);
        f.send(seg().syn().seq(P + 5000).win(65535).mss(1460));
        f.expect(seg().seq(f.iss + 2).ack(P + 2).win(WIN));
        f.expectState(TcpState.TIME_WAIT);
    }

    @Test
    void timeWaitDataIsAnsweredWithAnAck() {
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN).payload("late"));
        h.expect(ourAck());
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN).payload("late"));
        h.expect(ourAck());
    }

    @Test
    void timeWaitSegmentAfterExpiryGetsAStrayRst() {
        h.at(secs(60)).send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expect(seg().rst().seq(h.iss + 2));
    }

    @Test
    void timeWaitCloseAndWriteAreHarmless() {
        h.conn.close(h.now());
        h.expectNothing();
        h.expectState(TcpState.TIME_WAIT);
        assertEquals(0, h.conn.writable());
    }
}
