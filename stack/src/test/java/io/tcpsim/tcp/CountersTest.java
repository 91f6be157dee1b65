package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MIB counters, updated where Linux updates them. */
class CountersTest {

    @Test
    void snapshotUsesNstatNamesInAStableOrder() {
        Map<String, Long> snapshot = new TcbHarness().layer.counters().snapshot();
        assertEquals(List.of("TcpActiveOpens", "TcpPassiveOpens", "TcpAttemptFails", "TcpEstabResets", "TcpCurrEstab",
                "TcpInSegs", "TcpOutSegs", "TcpRetransSegs", "TcpInErrs", "TcpOutRsts", "TcpInCsumErrors",
                "TcpExtListenOverflows",
                "TcpExtListenDrops", "TcpExtTCPChallengeACK", "TcpExtTW", "TcpExtTCPTimeouts", "TcpExtTCPFastRetrans",
                "TcpExtPAWSEstab", "TcpExtTCPRenoRecovery", "TcpExtTCPSackRecovery", "TcpExtTCPSACKReneging",
                "TcpExtTCPSACKDiscard", "TcpExtTCPDSACKOldSent", "TcpExtTCPDSACKOfoSent", "TcpExtTCPDSACKRecv",
                "TcpExtTCPDSACKOfoRecv", "TcpExtTCPLossProbes", "TcpExtTCPLossProbeRecovery", "TcpExtTCPLostRetransmit",
                "TcpExtTCPSACKReorder", "TcpExtTCPACKSkippedChallenge", "TcpExtTCPMemoryPressures", "TcpExtTCPAbortOnMemory",
                "TcpExtTCPTimeWaitOverflow", "TcpExtTCPRcvQDrop", "TcpExtTCPOFODrop", "TcpExtPruneCalled", "TcpExtOfoPruned", "TcpExtSyncookiesSent",
                "TcpExtSyncookiesRecv", "TcpExtSyncookiesFailed", "TcpExtTCPReqQFullDoCookies", "TcpExtTCPReqQFullDrop"),
                List.copyOf(snapshot.keySet()));
    }

    @Test
    void passiveConnectionLifecycleCountsLikeLinux() {
        TcbHarness h = new TcbHarness().timeWait();
        h.at(secs(60));
        Map<String, Long> c = h.layer.counters().snapshot();
        assertEquals(1, c.get("TcpPassiveOpens"));
        assertEquals(0, c.get("TcpActiveOpens"));
        assertEquals(0, c.get("TcpCurrEstab"));
        assertEquals(0, c.get("TcpEstabResets"));
        assertEquals(4, c.get("TcpInSegs"));
        assertEquals(3, c.get("TcpOutSegs"));
        assertEquals(1, c.get("TcpExtTW"));
    }

    @Test
    void currEstabCountsEstablishedAndCloseWait() {
        TcbHarness h = new TcbHarness().closeWait();
        assertEquals(1, h.layer.counters().currEstab());
        h.conn.close(h.now());
        assertEquals(0, h.layer.counters().currEstab());
        assertEquals(0, h.layer.counters().estabResets());
    }

    @Test
    void activeOpenCountsOnTheSynAndAttemptFailsOnRefusal() {
        TcbHarness h = new TcbHarness().synSent();
        assertEquals(1, h.layer.counters().activeOpens());
        h.send(seg().rst().seq(0).ack(h.iss + 1));
        assertEquals(1, h.layer.counters().attemptFails());
        assertEquals(0, h.layer.counters().estabResets());
    }

    @Test
    void abortOfAnEstablishedConnectionCountsEstabResetsAndOutRsts() {
        TcbHarness h = new TcbHarness().connected();
        h.conn.abort(h.now());
        assertEquals(1, h.layer.counters().estabResets());
        assertEquals(1, h.layer.counters().outRsts());
        assertEquals(0, h.layer.counters().currEstab());
    }

    @Test
    void retransmissionsAreCountedApartFromOutSegs() {
        TcbHarness h = new TcbHarness().finWait1();
        long out = h.layer.counters().outSegs();
        h.at(secs(0.6)); // FIN again at 0.2 and 0.6 s (RTO 200 ms from the handshake)
        h.drain();
        assertEquals(out, h.layer.counters().outSegs());
        assertEquals(2, h.layer.counters().retransSegs());
    }

    @Test
    void countInErrorIsForTheIpLayer() {
        TcbHarness h = new TcbHarness();
        h.layer.counters().countInError();
        assertEquals(1, h.layer.counters().inErrs());
    }

    @Test
    void challengeAcksAreCountedOnlyWhenSent() {
        TcbHarness h = new TcbHarness().established();
        h.send(seg().rst().seq(P + 5));
        h.send(seg().rst().seq(P + 6));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.expectNothing();
        assertEquals(1, h.layer.counters().challengeAcks());
    }
}
