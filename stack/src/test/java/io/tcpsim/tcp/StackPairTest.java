package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.TcpRepr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two TCP layers wired back to back on one virtual clock: our active side against our passive side. */
class StackPairTest {
    private static final int A = 0x0A00_0001;
    private static final int B = 0x0A00_0002;

    private record Packet(int src, int dst, TcpRepr segment) {
    }

    private final Deque<Packet> wire = new ArrayDeque<>();
    private final TcpConfig config = TcpConfig.linuxDefaults(1500).withTimeWait(java.time.Duration.ofSeconds(2));
    private final TcpLayer a = new TcpLayer(config, new IsnGenerator(TcbHarness.KEY), this::transmit);
    private final TcpLayer b = new TcpLayer(config,
            new IsnGenerator("another-16-bytes".getBytes(StandardCharsets.US_ASCII)), this::transmit);
    private long now;

    private void transmit(FourTuple t, TcpRepr segment) {
        wire.add(new Packet(t.localAddr().ipv4(), t.remoteAddr().ipv4(), segment.detached()));
    }

    /** Delivers every segment in flight, and those they cause. */
    private void run() {
        for (Packet p = wire.poll(); p != null; p = wire.poll()) {
            (p.dst() == A ? a : b).input(p.src(), p.dst(), p.segment(), now);
        }
    }

    /** Moves time to t, firing deadlines on both sides in order, delivering after each. */
    private void runUntil(long t) {
        run();
        for (long d = Math.min(a.nextDeadline(), b.nextDeadline()); d != Clock.NO_DEADLINE && d <= t;
                d = Math.min(a.nextDeadline(), b.nextDeadline())) {
            now = Math.max(now, d);
            a.onTimers(now);
            b.onTimers(now);
            run();
        }
        now = t;
    }

    private static void write(TcpConnection c, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(bytes.length, c.write(bytes, 0, bytes.length, 0));
    }

    private static String read(TcpConnection c) {
        byte[] buf = new byte[1 << 16];
        int n = c.read(buf, 0, buf.length, 0);
        return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    private TcpConnection[] open() {
        TcpListener l = b.listen(0, 7, 8);
        TcpConnection client = a.connect(A, B, 7, now);
        run();
        TcpConnection server = l.accept();
        assertEquals(TcpState.ESTABLISHED, client.state());
        assertEquals(TcpState.ESTABLISHED, server.state());
        return new TcpConnection[] {client, server};
    }

    @Test
    void pairClientClosingFirstEndsInTimeWaitOnTheClientOnly() {
        TcpConnection[] c = open();
        write(c[0], "ping");
        run();
        assertEquals("ping", read(c[1]));
        write(c[1], "pong");
        run();
        assertEquals("pong", read(c[0]));
        c[0].close(now);
        run();
        assertEquals(TcpState.FIN_WAIT_1, c[0].state(), "Linux tcp_fin(): the ACK of the FIN is delayed");
        assertEquals(TcpState.CLOSE_WAIT, c[1].state());
        runUntil(now + Receiver.DELAYED_ACK_NANOS);
        assertEquals(TcpState.FIN_WAIT_2, c[0].state());
        c[1].close(now);
        run();
        assertEquals(TcpState.TIME_WAIT, c[0].state());
        assertEquals(TcpState.CLOSED, c[1].state());
        runUntil(now + TcbHarness.secs(2));
        assertEquals(TcpState.CLOSED, c[0].state());
        assertEquals(List.of(), a.connections());
    }

    @Test
    void pairServerClosingFirstEndsInTimeWaitOnTheServer() {
        TcpConnection[] c = open();
        c[1].close(now);
        run();
        assertEquals(-1, c[0].read(new byte[1], 0, 1, now));
        c[0].close(now);
        run();
        assertEquals(TcpState.CLOSED, c[0].state());
        assertEquals(TcpState.TIME_WAIT, c[1].state());
        assertNull(a.connection(c[0].tuple()));
    }

    @Test
    void pairSimultaneousOpenEstablishesBothEnds() {
        TcpConnection x = a.connect(new FourTuple(A, 5000, B, 6000), now);
        TcpConnection y = b.connect(new FourTuple(B, 6000, A, 5000), now);
        run();
        assertEquals(TcpState.ESTABLISHED, x.state());
        assertEquals(TcpState.ESTABLISHED, y.state());
        write(x, "hello");
        run();
        assertEquals("hello", read(y));
    }

    @Test
    void pairSimultaneousCloseLeavesBothInTimeWait() {
        TcpConnection[] c = open();
        c[0].close(now);
        c[1].close(now);
        run();
        assertEquals(TcpState.TIME_WAIT, c[0].state());
        assertEquals(TcpState.TIME_WAIT, c[1].state());
    }

    @Test
    void pairBulkTransferArrivesIntactThroughTheWindow() {
        TcpConnection[] c = open();
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int sent = 0;
        byte[] buf = new byte[8192];
        for (int round = 0; received.size() < data.length; round++) {
            assertTrue(round < 1000, () -> "stalled at " + received.size() + " bytes: " + c[0] + " una "
                    + c[0].sndUna() + " nxt " + c[0].sndNxt() + " wnd " + c[0].sndWnd() + "; " + c[1] + " rcvNxt "
                    + c[1].rcvNxt() + " rcvWnd " + c[1].rcvWnd() + " readable " + c[1].readable());
            sent += c[0].write(data, sent, data.length - sent, now);
            run();
            for (int n = c[1].read(buf, 0, buf.length, now); n > 0; n = c[1].read(buf, 0, buf.length, now)) {
                received.write(buf, 0, n);
            }
            run();
        }
        assertEquals(true, Arrays.equals(data, received.toByteArray()));
    }

    @Test
    void pairConnectToAPortWithoutListenerIsRefused() {
        TcpConnection client = a.connect(A, B, 9, now);
        run();
        assertEquals(TcpState.CLOSED, client.state());
        assertEquals(TcpError.ECONNREFUSED, client.error());
    }
}
