package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * net.ipv4.tcp_max_tw_buckets: a connection that would be one TIME_WAIT too many is closed at once
 * and counted (TcpExtTCPTimeWaitOverflow), as Linux tcp_time_wait() does when inet_twsk_alloc()
 * finds no bucket.
 */
class TimeWaitLimitTest {
    private static TcpConfig limit(int buckets) {
        return TcpConfig.linuxDefaults(1500).withTimestamps(false).withMaxTwBuckets(buckets);
    }

    /** Another accepted connection of the harness's listener, from the peer's port {@code port}. */
    private static TcpConnection another(TcbHarness h, int port) {
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7).ports(port, LOCAL_PORT));
        TcpConnection c = h.layer.connection(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, port));
        h.send(seg().seq(P + 1).ack(c.iss() + 1).win(WIN).ports(port, LOCAL_PORT));
        h.drain();
        return c;
    }

    /** Closes {@code c} (from the peer's port {@code port}) as the active closer: our FIN, its ACK, its FIN. */
    private static void activeClose(TcbHarness h, TcpConnection c, int port) {
        c.close(h.now());
        h.send(seg().seq(P + 1).ack(c.iss() + 2).win(WIN).ports(port, LOCAL_PORT));
        h.send(seg().fin().seq(P + 1).ack(c.iss() + 2).win(WIN).ports(port, LOCAL_PORT));
    }

    @Test
    void withNoBucketLeftTheFinIsAcknowledgedAndTheConnectionClosesAtOnce() {
        TcbHarness h = new TcbHarness(limit(0)).finWait2();
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expect(seg().seq(h.iss + 2).ack(P + 2).win(WIN));
        h.expectState(TcpState.CLOSED);
        assertNull(h.layer.connection(h.tuple()), "the 4-tuple is free at once");
        assertEquals(1, h.layer.counters().timeWaitOverflow());
        assertEquals("closed null", h.events.getLast(), "closed cleanly, no error");
        h.at(secs(120));
        h.expectNothing();
        assertEquals(0, h.layer.counters().timeWaited(), "no TIME_WAIT timer ran");
    }

    @Test
    void closingConnectionWithNoBucketLeftClosesWhenItsFinIsAcknowledged() {
        TcbHarness h = new TcbHarness(limit(0)).closing();
        h.send(seg().seq(P + 2).ack(h.iss + 2).win(WIN));
        h.expectNothing();
        h.expectState(TcpState.CLOSED);
        assertEquals(1, h.layer.counters().timeWaitOverflow());
    }

    @Test
    void timeWaitPopulationStaysAtTheLimitAndTheOneTooManyIsCounted() {
        TcbHarness h = new TcbHarness(limit(1)).timeWait();
        TcpConnection second = another(h, 46000);
        activeClose(h, second, 46000);
        assertEquals(TcpState.CLOSED, second.state());
        assertEquals(TcpState.TIME_WAIT, h.conn.state());
        assertEquals(1, h.layer.counters().timeWaitOverflow());
        assertEquals(1, h.layer.connections().size(), "only the first connection, in TIME_WAIT, is left");
    }

    @Test
    void timeWaitEndingFreesItsBucket() {
        TcbHarness h = new TcbHarness(limit(1)).timeWait();
        h.at(secs(60));
        h.expectState(TcpState.CLOSED);
        TcpConnection second = another(h, 46000);
        activeClose(h, second, 46000);
        assertEquals(TcpState.TIME_WAIT, second.state());
        assertEquals(0, h.layer.counters().timeWaitOverflow());
    }

    @Test
    void resetInTimeWaitFreesItsBucket() {
        TcbHarness h = new TcbHarness(limit(1).withRfc1337(false)).timeWait();
        h.send(seg().rst().seq(P + 2));
        h.expectState(TcpState.CLOSED);
        TcpConnection second = another(h, 46000);
        activeClose(h, second, 46000);
        assertEquals(TcpState.TIME_WAIT, second.state());
        assertEquals(0, h.layer.counters().timeWaitOverflow());
    }
}
