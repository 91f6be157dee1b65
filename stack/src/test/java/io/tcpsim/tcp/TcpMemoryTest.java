package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * net.ipv4.tcp_mem ({@link TcpMemory}): min 1, pressure 2, max 4 pages (4, 8, 16 KiB) here, so a
 * few segments cross each threshold.
 */
class TcpMemoryTest {
    private static final int SEG = 4000;
    private final TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(false)
            .withTcpMem(new TcpConfig.TcpMem(1, 2, 4))).established();

    private void data(int index) {
        h.send(seg().psh().seq(P + 1 + index * SEG).ack(h.iss + 1).win(WIN).payload("d".repeat(SEG)));
    }

    @Test
    void tcpMemPressureStartsAbovePressureAndDataIsDroppedAboveMax() {
        data(0);
        data(1);
        assertEquals(0, h.layer.counters().memoryPressures());
        data(2);
        assertEquals(1, h.layer.counters().memoryPressures(), "12000 bytes = 3 pages > pressure 2");
        data(3);
        h.drain();
        data(4);
        h.expectNothing();
        assertEquals(1, h.layer.counters().rcvQDrop(), "20000 bytes = 5 pages > max 4");
        assertEquals(P + 1 + 4 * SEG, h.conn.rcvNxt());
        assertEquals(4 * SEG, h.conn.readable());
        h.readAll();
        data(4);
        assertEquals(SEG, h.conn.readable(), "taken again once read");
        assertEquals(1, h.layer.counters().rcvQDrop());
    }

    @Test
    void tcpMemAnEmptyReceiveQueueIsAlwaysCharged() {
        TcbHarness tiny = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(false)
                .withTcpMem(new TcpConfig.TcpMem(0, 0, 0))).established();
        tiny.send(seg().psh().seq(P + 1).ack(tiny.iss + 1).win(WIN).payload("first"));
        assertEquals(5, tiny.conn.readable(), "Linux sk_forced_mem_schedule()");
        tiny.send(seg().psh().seq(P + 6).ack(tiny.iss + 1).win(WIN).payload("second"));
        assertEquals(5, tiny.conn.readable());
        assertEquals(1, tiny.layer.counters().rcvQDrop());
    }

    @Test
    void tcpMemOutOfOrderDataIsPrunedToMakeRoomForInOrderData() {
        data(0);
        data(2);
        data(3);
        data(4);
        assertEquals(3 * SEG, h.conn.tcb.outOfOrder.size());
        h.drain();
        data(1); // 16000 + 4000 > max: the held blocks go, from the highest
        assertEquals(1, h.layer.counters().pruneCalled());
        assertEquals(1, h.layer.counters().ofoPruned());
        assertEquals(0, h.layer.counters().rcvQDrop());
        assertEquals(2 * SEG, h.conn.readable());
        assertTrue(h.conn.tcb.outOfOrder.size() < 3 * SEG);
    }

    @Test
    void tcpMemOutOfOrderDataAboveMaxIsDroppedWithoutAnAck() {
        data(0);
        data(1);
        data(2);
        data(3);
        h.drain();
        data(5);
        h.expectNothing();
        assertEquals(1, h.layer.counters().ofoDrop());
        assertTrue(h.conn.tcb.outOfOrder.isEmpty());
    }

    @Test
    void tcpMemWriteTakesNothingAboveMaxUnlessTheSendQueueIsEmpty() {
        data(0);
        data(1);
        data(2);
        data(3);
        assertEquals(8000, h.write("w".repeat(8000)), "an empty send queue is always charged");
        assertEquals(0, h.write("more"), "then the write waits for memory (EAGAIN)");
    }

    @Test
    void tcpMemUnderPressureAWindowDoesNotGrowPastFourSegments() {
        TcbHarness both = new TcbHarness(TcpConfig.linuxDefaults(1500).withTimestamps(false)
                .withTcpMem(new TcpConfig.TcpMem(1, 2, 100))).established();
        both.send(seg().psh().seq(P + 1).ack(both.iss + 1).win(WIN).payload("x".repeat(SEG)));
        both.readAll();
        int opened = both.conn.tcb.rcvWnd;
        // A second connection holds 12000 unread bytes: 3 pages, above pressure.
        both.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7).ports(46000, LOCAL_PORT));
        TcpConnection other = both.layer.connection(new FourTuple(LOCAL, LOCAL_PORT, REMOTE, 46000));
        both.send(seg().seq(P + 1).ack(other.iss() + 1).win(WIN).ports(46000, LOCAL_PORT));
        for (int i = 0; i < 3; i++) {
            both.send(seg().psh().seq(P + 1 + i * SEG).ack(other.iss() + 1).win(WIN).payload("y".repeat(SEG))
                    .ports(46000, LOCAL_PORT));
        }
        assertEquals(1, both.layer.counters().memoryPressures());
        both.send(seg().psh().seq(P + 1 + SEG).ack(both.iss + 1).win(WIN).payload("x".repeat(SEG)));
        both.readAll();
        int underPressure = both.conn.tcb.rcvWnd;
        assertTrue(underPressure < opened, "under pressure the window stays where it was: " + underPressure
                + " < " + opened + " after the same read without pressure");
        other.read(new byte[3 * SEG], 0, 3 * SEG, both.now());
        both.send(seg().psh().seq(P + 1 + 2 * SEG).ack(both.iss + 1).win(WIN).payload("x"));
        both.readAll();
        assertFalse(both.layer.memoryUnderPressure());
        assertTrue(both.conn.tcb.rcvWnd > underPressure, "the pressure over, the window opens again");
    }
}
