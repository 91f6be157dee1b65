package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ICMP destination unreachable for our segments (RFC 1122 §4.2.3.9, RFC 5927, Linux tcp_v4_err()). */
class IcmpTest {
    private static final int ROUTER = 0x0A00_00FE;

    private static TcbHarness icmp(TcbHarness h, int code) {
        h.layer.icmpUnreachable(ROUTER, LOCAL, h.conn.tuple(), h.conn.sndNxt() - 1, code, h.now());
        return h;
    }

    @Test
    void icmpPortUnreachableRefusesAConnectAtOnce() {
        TcbHarness h = icmp(new TcbHarness().synSent(), 3);
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.ECONNREFUSED, h.conn.error());
        assertEquals(1, h.layer.counters().attemptFails());
        assertEquals(List.of("closed ECONNREFUSED"), h.events);
    }

    @Test
    void icmpHostUnreachableFailsAConnectWithEhostunreach() {
        TcbHarness h = icmp(new TcbHarness().synSent(), 1);
        assertEquals(TcpError.EHOSTUNREACH, h.conn.error());
    }

    @Test
    void icmpNetUnreachableFailsAConnectWithEnetunreach() {
        TcbHarness h = icmp(new TcbHarness().synSent(), 0);
        assertEquals(TcpError.ENETUNREACH, h.conn.error());
    }

    @Test
    void icmpCommunicationProhibitedGivesEhostunreach() {
        TcbHarness h = icmp(new TcbHarness().synSent(), 13);
        assertEquals(TcpError.EHOSTUNREACH, h.conn.error());
    }

    @Test
    void icmpQuotingASequenceNumberWeDidNotSendIsIgnored() {
        TcbHarness h = new TcbHarness().synSent();
        h.layer.icmpUnreachable(ROUTER, LOCAL, h.conn.tuple(), h.iss + 100, 3, 0);
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void icmpWithoutTheQuotedSequenceNumberStillApplies() {
        TcbHarness h = new TcbHarness().synSent();
        h.layer.icmpUnreachable(ROUTER, LOCAL, h.conn.tuple(), 3, 0);
        assertEquals(TcpError.ECONNREFUSED, h.conn.error());
    }

    @Test
    void icmpFragmentationNeededIsLeftToPathMtuDiscovery() {
        TcbHarness h = icmp(new TcbHarness().synSent(), 4);
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void icmpForAnUnknownTupleIsIgnored() {
        TcbHarness h = new TcbHarness().synSent();
        h.layer.icmpUnreachable(ROUTER, LOCAL, new FourTuple(LOCAL, 1, REMOTE, 2), 0, 3, 0);
        h.expectState(TcpState.SYN_SENT);
    }

    @Test
    void icmpInAsynchronizedStateIsReportedOnlyWhenTheConnectionTimesOut() {
        TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withFinRetries(1, 15)).finWait1();
        icmp(h, 1);
        h.expectState(TcpState.FIN_WAIT_1);
        h.at(secs(0.6));
        h.expectAt(secs(0.2), seg().fin().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectState(TcpState.CLOSED);
        assertEquals(TcpError.EHOSTUNREACH, h.conn.error());
    }

    @Test
    void icmpForAHalfOpenRequestDropsItOnlyForFatalCodes() {
        TcbHarness h = new TcbHarness().synReceived();
        h.layer.icmpUnreachable(ROUTER, LOCAL, h.conn.tuple(), h.iss, 1, 0);
        h.expectState(TcpState.SYN_RECEIVED);
        h.layer.icmpUnreachable(ROUTER, LOCAL, h.conn.tuple(), h.iss + 1, 3, 0);
        h.expectState(TcpState.SYN_RECEIVED);
        h.layer.icmpUnreachable(ROUTER, LOCAL, h.conn.tuple(), h.iss, 3, 0);
        h.expectState(TcpState.CLOSED);
        assertEquals(0, h.listener.synQueueLength());
        assertEquals(1, h.layer.counters().listenDrops());
        assertEquals(0, h.layer.counters().attemptFails());
    }
}
