package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The first RTT sample from the handshake (RFC 6298 §2.2, §3 Karn, §5.7), as Linux takes it
 * without timestamps: SYN to SYN-ACK on an active open (tcp_clean_rtx_queue()), SYN-ACK to ACK on
 * a passive one (tcp_synack_rtt_meas()), none after a retransmission, then a 3 s RTO.
 */
class HandshakeRttTest {
    private final TcbHarness h = new TcbHarness();

    private void synAckAt(long t) {
        h.at(t).send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
    }

    @Test
    void activeOpenTakesTheSynToSynAckTimeAsTheFirstSample() {
        h.synSent();
        synAckAt(ms(50));
        assertEquals(ms(250), h.conn.rto()); // 50 ms + max(4 x 25 ms, 200 ms)
        assertEquals(ms(50), h.conn.tcb.rtt.srtt());
    }

    @Test
    void activeOpenWithALongHandshakeUsesTheVarianceTerm() {
        h.synSent();
        synAckAt(ms(400));
        assertEquals(ms(1200), h.conn.rto()); // 400 ms + 4 x 200 ms
        h.write("abc");
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("abc"));
        h.at(ms(1600));
        h.expectAt(ms(1600), seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("abc"));
    }

    @Test
    void activeOpenAfterASynRetransmissionTakesNoSampleAndFallsBackTo3s() {
        h.synSent();
        h.at(secs(1));
        h.expectAt(secs(1), h.ourSyn());
        synAckAt(secs(1.05));
        assertEquals(secs(3), h.conn.rto()); // Karn: which SYN was answered is unknown; RFC 6298 §5.7
        h.write("abc");
        h.drain();
        h.at(secs(4.05));
        h.expectAt(secs(4.05), seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("abc"));
    }

    @Test
    void passiveOpenTakesTheSynAckToAckTime() {
        h.synReceived();
        h.at(ms(30)).send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        assertEquals(ms(230), h.conn.rto()); // 30 ms + max(4 x 15 ms, 200 ms)
    }

    @Test
    void passiveOpenAfterASynAckRetransmissionFallsBackTo3s() {
        h.synReceived();
        h.at(secs(1.5));
        h.drain();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(secs(3), h.conn.rto());
    }

    @Test
    void passiveOpenWhoseSynAckWentAgainForARetransmittedSynTakesNoSample() {
        h.synReceived();
        h.at(ms(10)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7));
        h.at(ms(30)).send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        assertEquals(secs(3), h.conn.rto()); // Linux: req->num_retrans counts this SYN-ACK too
    }

    @Test
    void simultaneousOpenTimesTheSynAckItSent() {
        h.synSent();
        h.at(ms(20)).send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(SYN_WIN).mss(1460).nop().nop().sackOk().nop().wscale(7));
        h.at(ms(60)).send(seg().seq(P + 1).ack(h.iss + 1).win(WIN));
        h.expectState(TcpState.ESTABLISHED);
        assertEquals(ms(240), h.conn.rto()); // 40 ms from our SYN-ACK (Linux tcp_send_synack() resends the SYN)
    }

    @Test
    void withTimestampsARetransmittedSynStillGivesTheTsecrSample() {
        TcbHarness t = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(true));
        t.conn = t.layer.connect(TcbHarness.LOCAL, TcbHarness.REMOTE, TcbHarness.REMOTE_PORT, t.now());
        t.localPort = t.conn.tuple().localPort();
        t.iss = t.conn.iss();
        t.at(secs(1));
        t.drain();
        int second = t.tsVal();
        t.at(secs(1.1)).send(seg().syn().seq(P).ack(t.iss + 1).win(65535).mss(1460).nop().nop().ts(700, second)
                .nop().wscale(7));
        t.expectState(TcpState.ESTABLISHED);
        assertEquals(ms(300), t.conn.rto()); // RFC 7323 §4.1: 100 ms from TSecr, as Linux falls back to it
    }
}
