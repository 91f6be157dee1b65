package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * PAWS (RFC 7323 §5) where Linux applies it besides the synchronized states: TIME_WAIT
 * (tcp_timewait_state_process()), a listener's half-open request (tcp_check_req(), with its TSecr
 * check), and the SYN-ACK's TSecr in SYN_SENT (PAWSActive).
 */
class PawsTest {
    /** The peer's TSval on its SYN. */
    private static final int PV = 5000;
    /** Our window field with timestamps: 65160 (45 x 1448) rounded up to 128s; the SYN-ACK's shifted down. */
    private static final int TS_WIN = 510;
    private static final int REQUEST_WIN = 509;
    private TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(true));
    /** The TSval of our SYN-ACK. */
    private int synAckTs;

    private Seg peerTs(Seg s, int tsVal) {
        return s.nop().nop().ts(tsVal, h.tsVal());
    }

    private Seg ourTs(Seg s, int tsEcr) {
        return s.nop().nop().ts(h.tsVal(), tsEcr);
    }

    /** A listener's child after the peer's SYN with timestamps and our SYN-ACK. */
    private void synReceivedWithTimestamps() {
        h.listening();
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().nop().ts(PV, 0).nop().wscale(7));
        h.conn = h.layer.connection(h.tuple());
        h.iss = h.conn.iss();
        synAckTs = h.tsVal();
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(45 * 1448).mss(1460).nop().nop().ts(synAckTs, PV)
                .nop().wscale(7));
    }

    /** synReceivedWithTimestamps(), the ACK, close() and the peer's FIN+ACK: TS.Recent is PV + 2. */
    private void timeWaitWithTimestamps() {
        synReceivedWithTimestamps();
        h.send(peerTs(seg().seq(P + 1).ack(h.iss + 1).win(WIN), PV + 1));
        h.listener.accept();
        h.conn.close(h.now());
        h.expect(ourTs(seg().fin().seq(h.iss + 1).ack(P + 1).win(TS_WIN), PV + 1));
        h.send(peerTs(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN), PV + 2));
        h.expect(ourTs(seg().seq(h.iss + 2).ack(P + 2).win(TS_WIN), PV + 2));
        h.expectState(TcpState.TIME_WAIT);
    }

    // TIME_WAIT

    @Test
    void timeWaitBareAckWithAnOlderTsvalIsRejectedAnsweredAndRestartsTheTimer() {
        timeWaitWithTimestamps();
        h.at(secs(10)).send(peerTs(seg().seq(P + 2).ack(h.iss + 2).win(WIN), PV + 1));
        // Linux: PAWS first, with no tick of slack; without it this ACK would restart the timer silently.
        h.expect(ourTs(seg().seq(h.iss + 2).ack(P + 2).win(TS_WIN), PV + 2));
        assertEquals(secs(70), h.conn.nextDeadline());
    }

    @Test
    void timeWaitBareAckWithANewerTsvalBecomesTsRecent() {
        timeWaitWithTimestamps();
        h.send(peerTs(seg().seq(P + 2).ack(h.iss + 2).win(WIN), PV + 10));
        h.expectNothing();
        h.send(peerTs(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN), PV + 11));
        h.expect(ourTs(seg().seq(h.iss + 2).ack(P + 2).win(TS_WIN), PV + 10));
    }

    @Test
    void timeWaitRstWithAnOlderTsvalIsIgnoredEvenWithoutRfc1337() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(true).withRfc1337(false));
        timeWaitWithTimestamps();
        h.send(seg().rst().seq(P + 2).nop().nop().ts(PV - 100, 0));
        h.expectNothing();
        h.expectState(TcpState.TIME_WAIT);
        h.send(seg().rst().seq(P + 2).nop().nop().ts(PV + 3, 0));
        h.expectState(TcpState.CLOSED);
    }

    @Test
    void timeWaitRstWithAnOlderTsvalPassesOnceTsRecentIsAMinuteOld() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(true).withRfc1337(false)
                .withTimeWait(Duration.ofSeconds(120)));
        timeWaitWithTimestamps();
        h.at(secs(59.9)).send(seg().rst().seq(P + 2).nop().nop().ts(PV - 100, 0));
        h.expectState(TcpState.TIME_WAIT);
        h.at(secs(60)).send(seg().rst().seq(P + 2).nop().nop().ts(PV - 100, 0));
        h.expectState(TcpState.CLOSED); // Linux TCP_PAWS_MSL: 60 s
    }

    @Test
    void timeWaitNewerSynWithAnOlderTsvalDoesNotReopen() {
        timeWaitWithTimestamps();
        TcpConnection old = h.conn;
        h.at(secs(5)).send(seg().syn().seq(P + 100_000).win(65535).mss(1460).nop().nop().ts(PV - 100, 0).nop().wscale(7));
        assertSame(old, h.layer.connection(h.tuple()));
        h.expect(ourTs(seg().seq(h.iss + 2).ack(P + 2).win(TS_WIN), PV + 2));
        h.expectState(TcpState.TIME_WAIT);
        assertEquals(secs(65), h.conn.nextDeadline());
    }

    // SYN_RECEIVED, a listener's request

    @Test
    void synReceivedRetransmittedSynWithAnOlderTsvalGetsAnAckNotTheSynAck() {
        synReceivedWithTimestamps();
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().nop().ts(PV - 10, 0).nop().wscale(7));
        h.expect(ourTs(seg().seq(h.iss + 1).ack(P + 1).win(REQUEST_WIN), PV));
        assertEquals(1, h.layer.counters().pawsEstab());
        h.expectState(TcpState.SYN_RECEIVED);
    }

    @Test
    void synReceivedFinalAckWithAnOlderTsvalLeavesTheRequestHalfOpen() {
        synReceivedWithTimestamps();
        h.send(peerTs(seg().seq(P + 1).ack(h.iss + 1).win(WIN), PV - 10));
        h.expect(ourTs(seg().seq(h.iss + 1).ack(P + 1).win(REQUEST_WIN), PV));
        h.expectState(TcpState.SYN_RECEIVED);
        assertEquals(0, h.listener.acceptQueueLength());
        assertEquals(1, h.layer.counters().pawsEstab());
        h.at(ms(600)).send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 1, synAckTs));
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void synReceivedFinalAckEchoingNoSynAckTsvalIsRejected() {
        synReceivedWithTimestamps();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 1, synAckTs + 1000));
        // Linux tcp_check_req(): TSecr outside snt_tsval_first..snt_tsval_last (tsecr_reject).
        h.expect(ourTs(seg().seq(h.iss + 1).ack(P + 1).win(REQUEST_WIN), PV));
        h.expectState(TcpState.SYN_RECEIVED);
        assertEquals(0, h.layer.counters().pawsEstab());
    }

    @Test
    void synReceivedFinalAckEchoingTheRetransmittedSynAckIsAccepted() {
        synReceivedWithTimestamps();
        h.at(secs(1));
        int second = h.tsVal();
        h.expect(seg().syn().seq(h.iss).ack(P + 1).win(45 * 1448).mss(1460).nop().nop().ts(second, PV).nop().wscale(7));
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).nop().nop().ts(PV + 1, second));
        h.expectState(TcpState.ESTABLISHED);
    }

    @Test
    void synReceivedRstWithAnOlderTsvalIsIgnored() {
        synReceivedWithTimestamps();
        h.send(seg().rst().seq(P + 1).nop().nop().ts(PV - 10, 0));
        h.expectNothing();
        h.expectState(TcpState.SYN_RECEIVED);
        assertEquals(1, h.listener.synQueueLength());
    }

    // SYN_SENT

    @Test
    void synSentSynAckEchoingATsecrOlderThanOurSynGetsRstAndIsIgnored() {
        h.at(secs(1));
        h.conn = h.layer.connect(TcbHarness.LOCAL, TcbHarness.REMOTE, TcbHarness.REMOTE_PORT, h.now());
        h.localPort = h.conn.tuple().localPort();
        h.iss = h.conn.iss();
        int synTsval = h.tsVal();
        h.expect(seg().syn().seq(h.iss).win(SYN_WIN).mss(1460).sackOk().ts(synTsval, 0).nop().wscale(7));
        h.at(secs(1.05)).send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().nop().ts(PV, synTsval - 1)
                .nop().wscale(7));
        // Linux tcp_rcv_synsent_state_process(): PAWSActive, answered like a bad ACK: <SEQ=SEG.ACK><CTL=RST>.
        h.expect(seg().rst().seq(h.iss + 1));
        h.expectState(TcpState.SYN_SENT);
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().nop().ts(PV, synTsval).nop().wscale(7));
        h.expectState(TcpState.ESTABLISHED);
    }
}
