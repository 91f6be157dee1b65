package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.KEY;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.REMOTE_PORT;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SYN cookies as Linux makes them (net/ipv4/syncookies.c), on the virtual clock. */
class SynCookiesTest {
    private static final FourTuple T = new FourTuple(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT);
    private final SynCookies cookies = new SynCookies(new IsnGenerator(KEY));

    @Test
    void cookieRoundTripsEveryMssTableEntry() {
        for (int i = 0; i < SynCookies.MSS_TABLE.length; i++) {
            int cookie = cookies.make(T, P, i, secs(10));
            assertEquals(SynCookies.MSS_TABLE[i], cookies.check(T, cookie, P, secs(10)));
        }
    }

    @Test
    void cookieMssIsThePeersRoundedDownToTheTable() {
        assertEquals(0, SynCookies.mssIndex(88));
        assertEquals(0, SynCookies.mssIndex(1299));
        assertEquals(1, SynCookies.mssIndex(1300));
        assertEquals(2, SynCookies.mssIndex(1452));
        assertEquals(3, SynCookies.mssIndex(1460));
        assertEquals(3, SynCookies.mssIndex(8960));
    }

    @Test
    void cookieHoldsForThisMinuteAndTheNextThenExpires() {
        int cookie = cookies.make(T, P, 3, secs(59));
        assertEquals(1460, cookies.check(T, cookie, P, secs(59)));
        assertEquals(1460, cookies.check(T, cookie, P, secs(119.9)));
        assertEquals(0, cookies.check(T, cookie, P, secs(120)));
        assertEquals(0, cookies.check(T, cookie, P, secs(3600)));
    }

    @Test
    void cookieIsBoundToTheFourTupleAndThePeersSequence() {
        int cookie = cookies.make(T, P, 2, secs(1));
        assertEquals(0, cookies.check(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT + 1), cookie, P, secs(1)));
        assertEquals(0, cookies.check(new FourTuple(LOCAL, LOCAL_PORT, REMOTE + 1, REMOTE_PORT), cookie, P, secs(1)));
        // Linux adds the peer's sequence number instead of hashing it: off by 2^20, the index is out of the table.
        assertEquals(0, cookies.check(T, cookie, P + (1 << 20), secs(1)));
        assertEquals(0, cookies.check(T, cookie ^ (1 << 20), P, secs(1)));
    }

    @Test
    void cookieRandomGuessesAlmostAlwaysFail() {
        SplittableRandom r = new SplittableRandom(7);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            if (cookies.check(T, r.nextInt(), P, secs(1)) != 0) {
                accepted++;
            }
        }
        // Linux's odds: 2 minutes x 4 MSS values in 2^32, about 2e-9 per guess.
        assertEquals(0, accepted);
    }

    @Test
    void cookieTimestampCarriesWindowScaleAndSackInItsLowBits() {
        TcpConfig config = TcpConfig.linuxDefaults(1500);
        for (int tsNow : new int[] {0x40, 123_456_789, -5}) {
            for (int wscale = -1; wscale <= TcpConfig.MAX_WINDOW_SCALE; wscale++) {
                for (boolean sack : new boolean[] {false, true}) {
                    int ts = SynCookies.timestamp(tsNow, wscale, sack);
                    assertTrue(Integer.compareUnsigned(tsNow - ts, 1 << SynCookies.TS_BITS) < 0, "never ahead, at most 63 behind");
                    assertEquals(Optional.of(new SynCookies.Options(wscale, sack)), SynCookies.decode(ts, config));
                }
            }
        }
    }

    @Test
    void cookieTimestampAskingForSackIsRefusedWhenSackIsOff() {
        int ts = SynCookies.timestamp(1000, 7, true);
        assertEquals(Optional.empty(), SynCookies.decode(ts, TcpConfig.linuxDefaults(1500).withSack(false)));
    }

    // --- through the listener ---------------------------------------------------------------

    private static TcbHarness harness(int syncookies, boolean timestamps) {
        TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(timestamps).withSyncookies(syncookies));
        h.at(secs(5));
        return h;
    }

    private static Seg fullSyn() {
        return seg().syn().seq(P).win(65535).mss(1400).sackOk().ts(777, 0).nop().wscale(6);
    }

    private static TcpOption.Timestamps ts(TcpRepr s) {
        return s.timestamps().orElseThrow();
    }

    @Test
    void cookieAlwaysOnKeepsNoStateAndTheFinalAckEstablishesWithTheOptions() {
        TcbHarness h = harness(2, true).listening();
        h.send(fullSyn());
        TcpRepr synAck = h.next().segment();
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, synAck.flags());
        assertEquals(0, h.layer.connections().size());
        assertEquals(0, h.listener.synQueueLength());
        assertEquals(1, h.layer.counters().syncookiesSent());
        assertEquals(1, h.layer.counters().reqQFullDoCookies());
        h.advance(secs(0.05));
        h.send(seg().seq(P + 1).ack(synAck.seq() + 1).win(500).nop().nop().ts(778, ts(synAck).tsVal()));
        TcpConnection c = h.layer.connection(T);
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1300, c.tcb.sndMss, "1400 rounded down to msstab");
        assertTrue(c.tcb.sackOk);
        assertEquals(6, c.tcb.sndWscale);
        assertEquals(500 << 6, c.sndWnd());
        assertTrue(c.tcb.ts.ok);
        assertEquals(1, h.layer.counters().syncookiesRecv());
        assertEquals(c, h.listener.accept());
    }

    @Test
    void cookieWithoutTimestampsOffersNeitherWindowScaleNorSack() {
        TcbHarness h = harness(2, false).listening();
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().nop().sackOk().nop().wscale(7));
        TcpRepr synAck = h.next().segment();
        assertEquals(1, synAck.options().stream().filter(o -> !(o instanceof TcpOption.NoOperation)).count(),
                () -> "only the MSS: " + synAck.options());
        h.send(seg().seq(P + 1).ack(synAck.seq() + 1).win(1000).payload("hello"));
        TcpConnection c = h.layer.connection(T);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertFalse(c.tcb.wscaleOk);
        assertFalse(c.tcb.sackOk);
        assertEquals(1460, c.tcb.sndMss);
        assertEquals(5, c.readable(), "data on the cookie ACK is taken");
    }

    @Test
    void cookieIsSentOnlyWhenTheSynQueueOverflowsByDefault() {
        TcbHarness h = harness(1, true).listening(0);
        h.send(fullSyn());
        TcpConnection first = h.layer.connection(T);
        assertNotNull(first, "the first SYN gets a request");
        h.drain();
        h.send(fullSyn().ports(REMOTE_PORT + 1, LOCAL_PORT));
        TcpRepr cookieSynAck = h.next().segment();
        assertNull(h.layer.connection(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT + 1)));
        assertEquals(1, h.layer.counters().syncookiesSent());
        assertEquals(0, h.layer.counters().listenDrops());
        h.send(seg().seq(P + 1).ack(cookieSynAck.seq() + 1).win(500).nop().nop().ts(778, ts(cookieSynAck).tsVal())
                .ports(REMOTE_PORT + 1, LOCAL_PORT));
        assertEquals(TcpState.ESTABLISHED, h.layer.connection(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT + 1)).state());
    }

    @Test
    void cookieOffDropsTheOverflowingSyn() {
        TcbHarness h = harness(0, true).listening(0);
        h.send(fullSyn());
        h.drain();
        h.send(fullSyn().ports(REMOTE_PORT + 1, LOCAL_PORT));
        h.expectNothing();
        assertEquals(1, h.layer.counters().reqQFullDrop());
        assertEquals(1, h.layer.counters().listenDrops());
        assertEquals(0, h.layer.counters().syncookiesSent());
    }

    @Test
    void cookieForgedAckIsCountedAndReset() {
        TcbHarness h = harness(2, true).listening();
        h.send(fullSyn());
        TcpRepr synAck = h.next().segment();
        h.send(seg().seq(P + 1).ack(synAck.seq() + (1 << 20)).win(500).nop().nop().ts(778, ts(synAck).tsVal()));
        h.expect(seg().rst().seq(synAck.seq() + (1 << 20)));
        assertEquals(1, h.layer.counters().syncookiesFailed());
        assertEquals(0, h.layer.counters().syncookiesRecv());
        assertEquals(0, h.layer.connections().size());
    }

    @Test
    void cookieAckIsNotCheckedTwoMinutesAfterTheLastCookie() {
        TcbHarness h = harness(2, true).listening();
        h.send(fullSyn());
        TcpRepr synAck = h.next().segment();
        h.advance(SynCookies.VALID_NANOS + 1);
        h.send(seg().seq(P + 1).ack(synAck.seq() + 1).win(500).nop().nop().ts(778, ts(synAck).tsVal()));
        h.expect(seg().rst().seq(synAck.seq() + 1));
        assertEquals(0, h.layer.counters().syncookiesFailed(), "not even checked");
        assertEquals(0, h.layer.connections().size());
    }

    @Test
    void cookieAckFindingTheAcceptQueueFullIsDropped() {
        TcbHarness h = harness(2, true).listening(0);
        h.send(fullSyn());
        TcpRepr a = h.next().segment();
        h.send(fullSyn().ports(REMOTE_PORT + 1, LOCAL_PORT));
        TcpRepr b = h.next().segment();
        h.send(seg().seq(P + 1).ack(a.seq() + 1).win(500).nop().nop().ts(778, ts(a).tsVal()));
        h.send(seg().seq(P + 1).ack(b.seq() + 1).win(500).nop().nop().ts(778, ts(b).tsVal())
                .ports(REMOTE_PORT + 1, LOCAL_PORT));
        h.expectNothing();
        assertEquals(1, h.layer.counters().listenOverflows());
        assertEquals(2, h.layer.counters().syncookiesRecv());
        assertEquals(1, h.layer.connections().size(), "only the first became a connection");
    }
}
