package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * net.ipv4.tcp_max_orphans: close() resets the connection that would be one orphan too many (Linux
 * tcp_close()); an orphan's retransmission timer checks again, counting orphans twice for one with an
 * ICMP soft error (Linux tcp_out_of_resources()).
 */
class OrphanLimitTest {
    /** ICMP destination unreachable, code 1: not fatal, kept as the connection's soft error. */
    private static final int HOST_UNREACHABLE = 1;
    private final TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(false)
            .withMaxOrphans(1)).established();

    private TcpConnection second() {
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7).ports(46000, LOCAL_PORT));
        TcpConnection c = h.layer.connection(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, 46000));
        h.send(seg().seq(P + 1).ack(c.iss() + 1).win(WIN).ports(46000, LOCAL_PORT));
        h.drain();
        return c;
    }

    @Test
    void orphanBeyondTheLimitIsResetOnClose() {
        TcpConnection other = second();
        h.conn.close(h.now());
        h.expect(seg().fin().seq(h.iss + 1).ack(P + 1).win(WIN));
        other.close(h.now());
        h.expect(seg().rst().seq(other.iss() + 1).ack(P + 1).win(WIN).ports(LOCAL_PORT, 46000));
        assertEquals(TcpState.CLOSED, other.state());
        assertEquals(TcpState.FIN_WAIT_1, h.conn.state());
        assertEquals(1, h.layer.counters().abortOnMemory());
    }

    /** Fires the connection's next three timers (the loss probe may come before the RTO), or fewer once it closed. */
    private void fireTimers() {
        for (int i = 0; i < 3 && h.conn.state() != TcpState.CLOSED; i++) {
            h.at(h.layer.nextDeadline());
        }
    }

    /** What we sent after the FIN, all of it. */
    private List<TcpRepr> sentAfterTheFin() {
        h.expect(seg().fin().seq(h.iss + 1).ack(P + 1).win(WIN));
        fireTimers();
        List<TcpRepr> sent = new ArrayList<>();
        while (h.pending() > 0) {
            sent.add(h.next().segment());
        }
        return sent;
    }

    @Test
    void orphanWithinTheLimitRetransmitsItsFinWhenTheTimerFires() {
        h.conn.close(h.now());
        List<TcpRepr> sent = sentAfterTheFin();
        assertTrue(!sent.isEmpty() && sent.stream().allMatch(s -> s.hasFlags(TcpPacket.FIN)), sent.toString());
        assertEquals(TcpState.FIN_WAIT_1, h.conn.state());
        assertEquals(0, h.layer.counters().abortOnMemory());
    }

    @Test
    void orphanWithAnIcmpSoftErrorCountsTwiceInItsTimerAndIsResetAtTheLimit() {
        h.conn.close(h.now());
        h.layer.icmpUnreachable(REMOTE, LOCAL, h.tuple(), HOST_UNREACHABLE, h.now());
        List<TcpRepr> sent = sentAfterTheFin();
        TcpRepr last = sent.getLast();
        assertTrue(last.hasFlags(TcpPacket.RST | TcpPacket.ACK) && last.seq() == h.iss + 2, sent.toString());
        assertEquals(TcpState.CLOSED, h.conn.state());
        assertEquals(1, h.layer.counters().abortOnMemory());
    }

    @Test
    void orphanLeavingForTimeWaitMakesRoomForTheNext() {
        TcpConnection other = second();
        h.conn.close(h.now());
        h.send(seg().fin().seq(P + 1).ack(h.iss + 2).win(WIN));
        h.expectState(TcpState.TIME_WAIT);
        h.drain();
        other.close(h.now());
        h.expect(seg().fin().seq(other.iss() + 1).ack(P + 1).win(WIN).ports(LOCAL_PORT, 46000));
        assertEquals(0, h.layer.counters().abortOnMemory());
    }
}
