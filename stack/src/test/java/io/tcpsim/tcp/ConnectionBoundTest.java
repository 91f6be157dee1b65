package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The limits together bound the connections (docs/robustness.md, "Resource limits"): a peer
 * opening, completing and closing connections at random and an application accepting,
 * connecting and closing within a descriptor budget never make the layer hold more than
 * SYN queue + accept queue + descriptors + tcp_max_orphans + tcp_max_tw_buckets connections,
 * each part within its own limit, on a virtual clock over ten thousand steps.
 */
class ConnectionBoundTest {
    private static final int BACKLOG = 2;
    private static final int MAX_SYN_BACKLOG = 3;
    private static final int DESCRIPTORS = 6;
    private static final int MAX_ORPHANS = 3;
    private static final int MAX_TW = 4;
    private static final int EPHEMERAL_PORTS = 4;
    private static final int SERVICE_PORT = 9;
    private static final int STEPS = 10_000;

    private final TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(false)
            .withMaxSynBacklog(MAX_SYN_BACKLOG).withMaxOrphans(MAX_ORPHANS).withMaxTwBuckets(MAX_TW)
            .withEphemeralRange(50000, 50000 + EPHEMERAL_PORTS - 1)).listening(BACKLOG);
    private final Random random = new Random(20261121);
    /** Connections the application holds a descriptor for. */
    private final List<TcpConnection> open = new ArrayList<>();
    /** Connections the application has closed. */
    private final Set<TcpConnection> closed = new HashSet<>();
    private int nextPeerPort = 20000;
    private int addrNotAvail;

    @Test
    void connectionsStayWithinTheSumOfTheLimitsAndEachLimitIsReached() {
        int synQueue = Math.min(BACKLOG + 1, MAX_SYN_BACKLOG);
        int bound = synQueue + (BACKLOG + 1) + DESCRIPTORS + MAX_ORPHANS + MAX_TW;
        int most = 0;
        for (int step = 0; step < STEPS; step++) {
            act();
            h.drain();
            List<TcpConnection> all = h.layer.connections();
            most = Math.max(most, all.size());
            assertTrue(all.size() <= bound, "step " + step + ": " + all.size() + " connections > " + bound);
            assertTrue(count(all, TcpState.TIME_WAIT) <= MAX_TW, "TIME_WAIT above tcp_max_tw_buckets: " + all);
            long orphans = all.stream().filter(c -> closed.contains(c) && c.state() != TcpState.TIME_WAIT).count();
            assertTrue(orphans <= MAX_ORPHANS, "orphans above tcp_max_orphans: " + all);
            assertTrue(open.size() <= DESCRIPTORS);
        }
        TcpCounters counters = h.layer.counters();
        System.out.printf("ConnectionBoundTest: at most %d connections (bound %d); %d TIME_WAIT overflows, %d orphans reset,"
                        + " %d SYN cookies, %d listen overflows, %d EADDRNOTAVAIL%n", most, bound,
                counters.timeWaitOverflow(), counters.abortOnMemory(), counters.syncookiesSent(),
                counters.listenOverflows(), addrNotAvail);
        assertTrue(counters.timeWaitOverflow() > 0, "tcp_max_tw_buckets was reached");
        assertTrue(counters.abortOnMemory() > 0, "tcp_max_orphans was reached");
        assertTrue(counters.syncookiesSent() > 0, "the SYN queue was full");
        assertTrue(counters.listenOverflows() > 0, "the accept queue was full");
        assertTrue(addrNotAvail > 0, "the ephemeral ports ran out");
    }

    private static long count(List<TcpConnection> all, TcpState state) {
        return all.stream().filter(c -> c.state() == state).count();
    }

    private void act() {
        switch (random.nextInt(8)) {
            case 0 -> h.send(seg().syn().seq(P).win(65535).mss(1460).ports(nextPeerPort++, LOCAL_PORT));
            case 1, 2 -> peerStep();
            case 3 -> accept();
            case 4 -> connect();
            case 5 -> closeOne();
            default -> h.advance(random.nextLong(5_000_000_000L));
        }
    }

    /** The peer does the next thing of a random connection: completes it, acknowledges our FIN, sends its own. */
    private void peerStep() {
        List<TcpConnection> all = h.layer.connections();
        if (all.isEmpty()) {
            return;
        }
        TcpConnection c = all.get(random.nextInt(all.size()));
        FourTuple t = c.tuple();
        Seg s = seg().win(WIN).ports(t.remotePort(), t.localPort());
        switch (c.state()) {
            case SYN_SENT -> h.send(s.syn().seq(P).ack(c.iss() + 1).mss(1460));
            case SYN_RECEIVED -> h.send(s.seq(P + 1).ack(c.iss() + 1));
            case ESTABLISHED -> h.send(s.fin().seq(P + 1).ack(c.iss() + 1));
            case FIN_WAIT_1 -> h.send(s.seq(P + 1).ack(c.iss() + 2));
            case FIN_WAIT_2 -> h.send(s.fin().seq(P + 1).ack(c.iss() + 2));
            case CLOSING, LAST_ACK -> h.send(s.seq(P + 2).ack(c.iss() + 2));
            case CLOSED, LISTEN, CLOSE_WAIT, TIME_WAIT -> { }
        }
    }

    private void accept() {
        if (open.size() < DESCRIPTORS) {
            TcpConnection c = h.listener.accept();
            if (c != null) {
                open.add(c);
            }
        }
    }

    private void connect() {
        if (open.size() >= DESCRIPTORS) {
            return;
        }
        try {
            open.add(h.layer.connect(LOCAL, REMOTE, SERVICE_PORT, h.now()));
        } catch (TcpException e) {
            assertEquals(TcpError.EADDRNOTAVAIL, e.error());
            addrNotAvail++;
        }
    }

    private void closeOne() {
        if (!open.isEmpty()) {
            TcpConnection c = open.remove(random.nextInt(open.size()));
            closed.add(c);
            c.close(h.now());
        }
    }
}
