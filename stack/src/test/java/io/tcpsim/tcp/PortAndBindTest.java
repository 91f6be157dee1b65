package io.tcpsim.tcp;

import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.REMOTE_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Ephemeral ports (RFC 6056, Linux ip_local_port_range) and bind conflicts (EADDRINUSE, SO_REUSEADDR). */
class PortAndBindTest {
    private static final TcpConfig TWO_PORTS = TcpConfig.linuxDefaults(1500).withEphemeralRange(50000, 50001);

    private static TcpError errorOf(Runnable r) {
        return assertThrows(TcpException.class, r::run).error();
    }

    /** A passive connection in TIME_WAIT on LOCAL:8080 whose listener is closed. */
    private static TcbHarness timeWaitWithoutListener() {
        TcbHarness h = new TcbHarness().timeWait();
        h.listener.close(h.now());
        return h;
    }

    @Test
    void connectPicksAPortInTheEphemeralRange() {
        TcbHarness h = new TcbHarness();
        int port = h.layer.connect(LOCAL, REMOTE, 80, 0).tuple().localPort();
        assertTrue(port >= 32768 && port <= 60999, "port " + port);
    }

    @Test
    void connectsToTheSameDestinationGetDifferentPorts() {
        TcbHarness h = new TcbHarness();
        int first = h.layer.connect(LOCAL, REMOTE, 80, 0).tuple().localPort();
        int second = h.layer.connect(LOCAL, REMOTE, 80, 0).tuple().localPort();
        assertNotEquals(first, second);
    }

    @Test
    void connectFailsWithAddrNotAvailWhenEveryPortToTheDestinationIsTaken() {
        TcbHarness h = new TcbHarness(TWO_PORTS);
        h.layer.connect(LOCAL, REMOTE, 80, 0);
        h.layer.connect(LOCAL, REMOTE, 80, 0);
        assertEquals(TcpError.EADDRNOTAVAIL, errorOf(() -> h.layer.connect(LOCAL, REMOTE, 80, 0)));
    }

    @Test
    void connectsToDifferentDestinationsShareAnEphemeralPort() {
        TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withEphemeralRange(50000, 50000));
        assertEquals(50000, h.layer.connect(LOCAL, REMOTE, 80, 0).tuple().localPort());
        assertEquals(50000, h.layer.connect(LOCAL, REMOTE, 81, 0).tuple().localPort());
    }

    @Test
    void connectSkipsAListeningPort() {
        TcbHarness h = new TcbHarness(TWO_PORTS);
        h.layer.listen(0, 50000, 8);
        h.layer.listen(0, 50001, 8).close(0);
        assertEquals(50001, h.layer.connect(LOCAL, REMOTE, 80, 0).tuple().localPort());
        assertEquals(TcpError.EADDRNOTAVAIL, errorOf(() -> h.layer.connect(LOCAL, REMOTE, 80, 0)));
    }

    @Test
    void connectSkipsATimeWaitFourTuple() {
        TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withEphemeralRange(50000, 50000));
        TcpConnection c = h.layer.connect(LOCAL, REMOTE, 80, 0);
        c.abort(0);
        assertEquals(50000, h.layer.connect(LOCAL, REMOTE, 80, 0).tuple().localPort());
    }

    @Test
    void boundConnectOnAPortHeldByTimeWaitNeedsReuseAddress() {
        TcbHarness h = timeWaitWithoutListener();
        FourTuple t = new FourTuple(LOCAL, LOCAL_PORT, REMOTE, 46000);
        assertEquals(TcpError.EADDRINUSE, errorOf(() -> h.layer.connect(t, h.now())));
        TcpConnection c = h.layer.connect(t, SocketOptions.DEFAULT.withReuseAddress(true), h.now());
        assertEquals(TcpState.SYN_SENT, c.state());
    }

    @Test
    void boundConnectOnTheExactTimeWaitTupleFailsEvenWithReuseAddress() {
        TcbHarness h = timeWaitWithoutListener();
        assertEquals(TcpError.EADDRNOTAVAIL, errorOf(() -> h.layer.connect(h.tuple(),
                SocketOptions.DEFAULT.withReuseAddress(true), h.now())));
    }

    @Test
    void listenOnAPortHeldOnlyByTimeWaitNeedsReuseAddress() {
        TcbHarness h = timeWaitWithoutListener();
        assertEquals(TcpError.EADDRINUSE, errorOf(() -> h.layer.listen(LOCAL, LOCAL_PORT, 8)));
        TcpListener l = h.layer.listen(0, LOCAL_PORT, 8, SocketOptions.DEFAULT.withReuseAddress(true));
        assertEquals(LOCAL_PORT, l.port());
    }

    @Test
    void listenOnAPortHeldByAnotherListenerFailsEvenWithReuseAddress() {
        TcbHarness h = new TcbHarness();
        SocketOptions reuse = SocketOptions.DEFAULT.withReuseAddress(true);
        h.layer.listen(0, 7, 8, reuse);
        assertEquals(TcpError.EADDRINUSE, errorOf(() -> h.layer.listen(LOCAL, 7, 8, reuse)));
        assertEquals(TcpError.EADDRINUSE, errorOf(() -> h.layer.listen(0, 7, 8, reuse)));
    }

    @Test
    void listenOnAnotherAddressOfTheSamePortIsAllowed() {
        TcbHarness h = new TcbHarness();
        h.layer.listen(LOCAL, 7, 8);
        assertEquals(7, h.layer.listen(LOCAL + 1, 7, 8).port());
    }

    @Test
    void listenWhereAnEstablishedConnectionLivesNeedsReuseAddressOnBoth() {
        TcbHarness plain = new TcbHarness().established();
        plain.listener.close(plain.now());
        SocketOptions reuse = SocketOptions.DEFAULT.withReuseAddress(true);
        assertEquals(TcpError.EADDRINUSE, errorOf(() -> plain.layer.listen(LOCAL, LOCAL_PORT, 8, reuse)));

        TcbHarness h = new TcbHarness();
        TcpListener first = h.layer.listen(LOCAL, LOCAL_PORT, 8, reuse);
        h.send(Seg.seg().syn().seq(1).win(100).mss(1460));
        TcpConnection c = h.layer.connection(h.tuple());
        h.send(Seg.seg().seq(2).ack(c.iss() + 1).win(100));
        first.close(h.now());
        first.accept();
        assertEquals(LOCAL_PORT, h.layer.listen(LOCAL, LOCAL_PORT, 8, reuse).port());
    }

    @Test
    void listenOnPortZeroPicksAFreeEphemeralPort() {
        TcbHarness h = new TcbHarness(TWO_PORTS);
        h.layer.listen(0, 50000, 8);
        assertEquals(50001, h.layer.listen(0, 0, 8).port());
        assertEquals(TcpError.EADDRINUSE, errorOf(() -> h.layer.listen(0, 0, 8)));
    }

    @Test
    void connectNeedsAddressesAndARemotePort() {
        TcbHarness h = new TcbHarness();
        assertThrows(IllegalArgumentException.class, () -> h.layer.connect(0, REMOTE, 80, 0));
        assertThrows(IllegalArgumentException.class, () -> h.layer.connect(LOCAL, REMOTE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FourTuple(LOCAL, 70000, REMOTE, REMOTE_PORT));
    }
}
