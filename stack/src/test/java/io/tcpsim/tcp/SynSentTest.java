package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.10.7.3, SYN-SENT STATE, and the SYN retransmission schedule. */
class SynSentTest {
    private final TcbHarness h = new TcbHarness().synSent();

    private Seg syn() {
        return h.ourSyn();
    }

    @Test
    void synSentSynAckEstablishesAcksAndSignals() {
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(List.of("established", "writable"), h.events);
        assertEquals(1, h.layer.counters().activeOpens());
        assertEquals(1, h.layer.counters().currEstab());
        assertEquals(h.iss + 1, h.conn.sndUna());
        assertEquals(P + 1, h.conn.rcvNxt());
    }

    @Test
    void synSentSynAckWindowIsNotScaled() {
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(1000).mss(1460).nop().wscale(7));
        assertEquals(1000, h.conn.sndWnd());
        assertEquals(7, h.conn.sndWscale());
    }

    @Test
    void synSentSynAckWithoutWscaleTurnsScalingOffBothWays() {
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(SYN_WIN));
        assertEquals(0, h.conn.sndWscale());
        assertEquals(0, h.conn.rcvWscale());
    }

    @Test
    void synSentSynAckWithoutMssSendsWith536() {
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(SYN_WIN));
        assertEquals(536, h.conn.sndMss());
    }

    @Test
    void synSentSynAckWithBadAckGetsResetAndAQuickSynRetransmission() {
        h.at(ms(100)).send(seg().syn().seq(P).ack(h.iss + 5).win(65535).mss(1460));
        h.expect(seg().rst().seq(h.iss + 5));
        h.expectState(TcpState.SYN_SENT);
        h.at(ms(102));
        h.expectAt(ms(102), syn());
        h.at(ms(2101));
        h.expectNothing();
        h.at(ms(2102));
        h.expectAt(ms(2102), syn());
    }

    @Test
    void synSentAckOfIssGetsReset() {
        h.send(seg().seq(P).ack(h.iss).win(65535));
        h.expect(seg().rst().seq(h.iss));
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void synSentRstWithAcceptableAckRefusesTheConnection() {
        h.send(seg().rst().seq(0).ack(h.iss + 1));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ECONNREFUSED, h.conn.error());
        assertEquals(List.of("closed ECONNREFUSED"), h.events);
        assertEquals(1, h.layer.counters().attemptFails());
        assertNull(h.layer.connection(h.tuple()));
    }

    @Test
    void synSentRstWithoutAckIsIgnored() {
        h.send(seg().rst().seq(0));
        h.expectNothing();
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void synSentRstWithBadAckIsIgnored() {
        h.send(seg().rst().seq(0).ack(h.iss + 7));
        h.expectNothing();
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void synSentAckWithoutSynIsDropped() {
        h.send(seg().seq(P).ack(h.iss + 1).win(65535));
        h.expectNothing();
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void synSentFinWithoutSynIsDropped() {
        h.send(seg().fin().seq(P).win(65535));
        h.expectNothing();
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void synSentSynIsRetransmittedAt1_3_7_15_31_63sThenTimesOutAt127s() {
        h.at(secs(126.9));
        for (double t : new double[] {1, 3, 7, 15, 31, 63}) {
            h.expectAt(secs(t), syn());
        }
        h.expectNothing();
        h.expectState(TcpState.SYN_SENT);
        h.at(secs(127));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, h.conn.error());
        assertEquals(List.of("closed ETIMEDOUT"), h.events);
        assertEquals(1, h.layer.counters().attemptFails());
        assertEquals(6, h.layer.counters().retransSegs());
        assertEquals(1, h.layer.counters().outSegs());
    }

    @Test
    void synSentWithTwoSynRetriesTimesOutAt7s() {
        TcbHarness f = new TcbHarness(TcpConfig.linuxDefaults(1500).withSynRetries(2).withTimestamps(false)).synSent();
        f.at(secs(7));
        f.expectAt(secs(1), f.ourSyn());
        f.expectAt(secs(3), f.ourSyn());
        f.expectNothing();
        f.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ETIMEDOUT, f.conn.error());
    }

    @Test
    void synSentSynAckAfterARetransmissionStillEstablishes() {
        h.at(secs(2));
        h.expectAt(secs(1), syn());
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(Long.MAX_VALUE, h.conn.nextDeadline());
    }

    @Test
    void synSentSynWithoutAckIsASimultaneousOpen() {
        h.send(seg().syn().seq(P).win(65535).mss(1400).nop().wscale(5));
        // Linux: the crossing SYN-ACK repeats our SYN's options (tcp_syn_options()), SACK-permitted included.
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().nop().sackOk().nop().wscale(7));
        h.expectState(TcpState.SYN_RECEIVED);
        assertEquals(1400, h.conn.sndMss());
    }

    @Test
    void synSentSynAckCarryingDataAcknowledgesOnlyTheSyn() {
        h.send(seg().syn().psh().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7).payload("xyz"));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertEquals(0, h.conn.readable());
    }

    @Test
    void synSentDataWrittenEarlyGoesOutWithTheHandshakeAck() {
        assertEquals(2, h.write("hi"));
        h.expectNothing();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("hi"));
        h.expectNothing();
    }

    @Test
    void synSentCloseEndsTheAttemptSilently() {
        h.conn.close(h.now());
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(0, h.layer.counters().attemptFails());
        assertEquals(Long.MAX_VALUE, h.layer.nextDeadline());
    }

    @Test
    void synSentAbortSendsNothing() {
        h.conn.abort(h.now());
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void synSentShutdownOutputClosesAsLinuxDoes() {
        h.conn.shutdownOutput(h.now());
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void synSentSmallPeerMssSplitsData() {
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(100));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(SYN_WIN));
        assertEquals(250, h.write("a".repeat(250)));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(SYN_WIN).payload("a".repeat(100)));
        h.expect(seg().seq(h.iss + 101).ack(P + 1).win(SYN_WIN).payload("a".repeat(100)));
        h.expect(seg().psh().seq(h.iss + 201).ack(P + 1).win(SYN_WIN).payload("a".repeat(50)));
        h.expectNothing();
    }
}
