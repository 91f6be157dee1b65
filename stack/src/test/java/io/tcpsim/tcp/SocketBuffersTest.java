package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.REMOTE_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SO_RCVBUF and SO_SNDBUF reaching the connection, as checked against Linux 6.18: the buffers
 * hold half of the value getsockopt reports; the first window is that half rounded down to
 * whole segments (no 64 KiB cap since Linux 6.0; a SYN's field still is capped, RFC 7323 §2.2);
 * a set SO_RCVBUF picks the window scale from its own size (tcp_select_initial_window() with
 * SOCK_RCVBUF_LOCK).
 */
class SocketBuffersTest {
    /** Without timestamps and SACK, so that the SYNs carry only the MSS and window scale options. */
    private static final TcpConfig NO_TIMESTAMPS = TcpConfig.linuxDefaults(1500).withTimestamps(false).withSack(false);

    private static TcbHarness connectWith(SocketOptions options) {
        TcbHarness h = new TcbHarness(NO_TIMESTAMPS);
        h.conn = h.layer.connect(new FourTuple(LOCAL, 50000, REMOTE, REMOTE_PORT), options, 0);
        h.localPort = 50000;
        h.iss = h.conn.iss();
        return h;
    }

    @Test
    void receiveBufferSetBeforeConnect_synOffersItsScaleAndTheAckItsWholeWindow() {
        TcbHarness h = connectWith(SocketOptions.DEFAULT.withBuffers(200_000, 0));
        h.expect(seg().syn().seq(h.iss).win(65535).mss(1460).nop().wscale(1));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(99280 >> 1));
        assertEquals(100_000, h.conn.receiveBufferSize());
    }

    @Test
    void largeReceiveBuffer_windowRoundedUpToTheScaleUnit() {
        TcbHarness h = connectWith(SocketOptions.DEFAULT.withBuffers(2 << 20, 0));
        h.expect(seg().syn().seq(h.iss).win(65535).mss(1460).nop().wscale(5));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(1048288 >> 5)); // Linux: the same 1048288
    }

    @Test
    void smallReceiveBuffer_scaleZeroAndAWindowBelowOneSegment() {
        TcbHarness h = connectWith(SocketOptions.DEFAULT.withBuffers(2304, 0));
        h.expect(seg().syn().seq(h.iss).win(1152).mss(1460).nop().wscale(0));
    }

    @Test
    void peerWithoutWindowScale_windowClampedTo65535() {
        TcbHarness h = connectWith(SocketOptions.DEFAULT.withBuffers(2 << 20, 0));
        h.expect(seg().syn().seq(h.iss).win(65535).mss(1460).nop().wscale(5));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(65535));
        assertEquals(0, h.conn.rcvWscale());
    }

    @Test
    void listenerReceiveBuffer_synAckWindowAndScaleFromIt() {
        TcbHarness h = new TcbHarness(NO_TIMESTAMPS);
        h.listener = h.layer.listen(LOCAL, TcbHarness.LOCAL_PORT, 8, SocketOptions.DEFAULT.withBuffers(20_000, 0));
        h.send(seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(8760).mss(1460).nop().wscale(0));
    }

    @Test
    void sendBufferSet_holdsHalfOfIt_thenGrowsOnTheConnection() {
        TcbHarness h = connectWith(SocketOptions.DEFAULT.withBuffers(0, 20_000));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(0).mss(1460).nop().wscale(7));
        h.drain();
        byte[] data = new byte[30_000];
        assertEquals(10_000, h.conn.sendBufferSize());
        assertEquals(10_000, h.conn.write(data, 0, data.length, h.now()));
        h.conn.setBuffers(0, 40_000, h.now());
        assertEquals(10_000, h.conn.write(data, 0, data.length, h.now()));
        assertEquals(0, h.conn.write(data, 0, data.length, h.now()));
    }

    @Test
    void receiveBufferShrunkOnTheConnection_keepsWhatIsQueued_offersNothingNew() {
        TcbHarness h = new TcbHarness(NO_TIMESTAMPS).established();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(TcbHarness.WIN).payload("x".repeat(1000)));
        h.drain();
        h.conn.setBuffers(2304, 0, h.now());
        assertEquals(1152, h.conn.receiveBufferSize());
        assertEquals(1000, h.conn.readable());
        assertEquals("x".repeat(1000), h.readAll());
    }

    @Test
    void byteRingCapacityChangesKeepTheBytesInOrderAcrossTheWrap() {
        ByteRing ring = new ByteRing(8);
        ring.write("abcdef".getBytes(StandardCharsets.US_ASCII), 0, 6);
        byte[] out = new byte[16];
        assertEquals(4, ring.read(out, 0, 4));
        assertEquals(6, ring.write("ghijkl".getBytes(StandardCharsets.US_ASCII), 0, 6));
        ring.setCapacity(4);
        assertEquals(0, ring.free());
        ring.setCapacity(32);
        assertEquals(24, ring.free());
        assertEquals(8, ring.read(out, 0, 16));
        assertEquals("efghijkl", new String(out, 0, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void lockedWindowScale_isTheShiftThatCoversTheSpace() {
        assertEquals(0, Tcb.lockedWindowScale(65_535));
        assertEquals(1, Tcb.lockedWindowScale(65_536));
        assertEquals(5, Tcb.lockedWindowScale(1 << 20));
        assertEquals(14, Tcb.lockedWindowScale(Integer.MAX_VALUE));
    }
}
