package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** Reno (RFC 5681, ABC RFC 3465), CUBIC (RFC 9438), their choice, restart after idle. */
class CongestionControlTest {
    private static final int MSS = 1460;

    private static Tcb tcb(String cc) {
        Tcb t = new Tcb(new FourTuple(1, 2, 3, 4), TcpConfig.linuxDefaults(1500).withCongestionControl(cc),
                SocketOptions.DEFAULT, 0, 0, TcpRepr.reusable());
        t.sndMss = MSS;
        t.cwnd = 10 * MSS;
        return t;
    }

    @Test
    void cubicIsTheDefaultAsOnLinuxAndRenoCanBeChosenPerConnection() {
        TcbHarness h = new TcbHarness().established();
        assertEquals("cubic", h.conn.congestionControl());
        h.conn.setCongestionControl("reno");
        assertEquals("reno", h.conn.congestionControl());
        assertThrows(IllegalArgumentException.class, () -> h.conn.setCongestionControl("bbr"));
        assertThrows(IllegalArgumentException.class, () -> TcpConfig.linuxDefaults(1500).withCongestionControl("x"));
        assertEquals("reno", new TcbHarness(TcpConfig.linuxDefaults(1500).withCongestionControl("reno"))
                .established().conn.congestionControl());
    }

    @Test
    void renoSlowStartGrowsByAtMostTwoSegmentsPerAck() {
        Tcb t = tcb("reno");
        t.cc.onAck(t, 3 * MSS, 0);
        assertEquals(12 * MSS, t.cwnd); // RFC 3465 §2.2: L = 2 SMSS
        t.cc.onAck(t, MSS, 0);
        assertEquals(13 * MSS, t.cwnd);
    }

    @Test
    void renoCongestionAvoidanceGrowsOneSegmentPerWindowAcknowledged() {
        Tcb t = tcb("reno");
        t.ssthresh = 10 * MSS;
        for (int i = 0; i < 9; i++) {
            t.cc.onAck(t, MSS, 0);
        }
        assertEquals(10 * MSS, t.cwnd);
        t.cc.onAck(t, MSS, 0);
        assertEquals(11 * MSS, t.cwnd);
    }

    @Test
    void renoSsthreshIsHalfTheFlightAtLeastTwoSegments() {
        Tcb t = tcb("reno");
        t.sndNxt = t.sndUna + 8 * MSS;
        t.rtxNxt = t.sndNxt;
        assertEquals(4 * MSS, t.cc.ssthresh(t, 0));
        t.sndNxt = t.sndUna + MSS;
        t.rtxNxt = t.sndNxt;
        assertEquals(2 * MSS, t.cc.ssthresh(t, 0));
    }

    @Test
    void cubicLossCutsTheWindowToSevenTenthsWithFastConvergence() {
        Tcb t = tcb("cubic");
        t.cwnd = 100 * MSS;
        assertEquals(70 * MSS, t.cc.ssthresh(t, 0));
        t.cwnd = 50 * MSS;
        assertEquals(35 * MSS, t.cc.ssthresh(t, 0));
    }

    @Test
    void cubicWindowReturnsToWmaxAfterKSeconds() {
        Tcb t = tcb("cubic");
        t.cwnd = 100 * MSS;
        t.ssthresh = t.cc.ssthresh(t, 0);
        t.cwnd = t.ssthresh;
        double k = Math.cbrt(100 * (1 - Cubic.BETA) / Cubic.C); // RFC 9438 §4.2: about 4.2 s
        long now = 0;
        for (; now < secs(k); now += ms(10)) {
            t.cc.onAck(t, t.cwnd / 10, now);
        }
        assertTrue(t.cwnd >= 95 * MSS && t.cwnd <= 101 * MSS, () -> "cwnd " + t.cwnd / MSS + " segments");
        for (; now < secs(k + 3); now += ms(10)) {
            t.cc.onAck(t, t.cwnd / 10, now);
        }
        assertTrue(t.cwnd > 105 * MSS, () -> "convex region (W_cubic = 110.8): cwnd " + t.cwnd / MSS);
    }

    @Test
    void establishedIdleLongerThanTheRtoRestartsFromTheInitialWindow() {
        TcbHarness h = new TcbHarness().established();
        h.conn.tcb.cwnd = 40 * MSS;
        h.write("x");
        h.expect(seg().psh().seq(h.iss + 1).ack(P + 1).win(WIN).payload("x"));
        h.send(seg().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.at(secs(10));
        h.write("y");
        h.drain();
        assertEquals(10 * MSS, h.conn.cwnd()); // RFC 5681 §4.1 / Linux tcp_cwnd_restart()
    }
}
