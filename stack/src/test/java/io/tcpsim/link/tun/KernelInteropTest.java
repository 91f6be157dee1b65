package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.EchoServer;
import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * tcpsim against the Linux kernel's TCP through a real TUN, in a namespace each test creates:
 * Linux clients connecting to tcpsim, tcpsim connecting to Linux listeners, and who ends in
 * TIME_WAIT when either side closes first.
 */
@RequiresTun
class KernelInteropTest {

    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);
    private static final int KERNEL = Ipv4Address.parse(LiveStack.KERNEL);
    private static final int ECHO = 7;
    private static final byte[] HELLO = "hello tcpsim\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void linuxClientConnectsToTcpsimSsShowsEstabAndEchoRoundTrips() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            live.onStack((tcp, now) -> EchoServer.listen(tcp, LiveStack.clock(), STACK, ECHO, 16));
            String ss = live.kernel(() -> {
                try (Socket socket = new Socket(LiveStack.STACK, ECHO)) {
                    socket.getOutputStream().write(HELLO);
                    assertArrayEquals(HELLO, socket.getInputStream().readNBytes(HELLO.length));
                    return live.exec("ss", "-tn").stdout();
                }
            });
            assertTrue(ss.lines().anyMatch(line -> line.startsWith("ESTAB") && mentions(line, LiveStack.STACK, ECHO)),
                    "the kernel sees the connection established:\n" + ss);
        }
    }

    @Test
    void linuxClosingFirstLeavesTimeWaitOnLinuxAndTcpsimEndsClosed() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            live.onStack((tcp, now) -> EchoServer.listen(tcp, LiveStack.clock(), STACK, ECHO, 16));
            int localPort = live.kernel(() -> {
                try (Socket socket = new Socket(LiveStack.STACK, ECHO)) {
                    socket.getOutputStream().write(HELLO);
                    socket.getInputStream().readNBytes(HELLO.length);
                    socket.shutdownOutput();
                    assertEquals(-1, socket.getInputStream().read(), "tcpsim answers our FIN with its own");
                    return socket.getLocalPort();
                }
            });
            FourTuple tuple = new FourTuple(STACK, ECHO, KERNEL, localPort);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> live.onStack((tcp, now) -> stateOf(tcp.connection(tuple))) == TcpState.CLOSED);
            String timeWait = live.exec("ss", "-tan", "state", "time-wait").stdout();
            assertTrue(mentions(timeWait, LiveStack.KERNEL, localPort), "Linux closed first, so Linux holds TIME_WAIT:\n" + timeWait);
        }
    }

    @Test
    void tcpsimClosingFirstHoldsTimeWaitForItsShortMslThenForgets() throws Exception {
        try (LiveStack live = LiveStack.start(null, 1500, tcp -> tcp.withTimeWait(Duration.ofSeconds(2)))) {
            live.onStack((tcp, now) -> {
                tcp.listen(STACK, 9000, 16).setAcceptHandler(listener -> {
                    TcpConnection c = listener.accept();
                    long t = LiveStack.clock().nanoTime();
                    c.write(HELLO, 0, HELLO.length, t);
                    c.close(t);
                });
                return null;
            });
            int localPort = live.kernel(() -> {
                try (Socket socket = new Socket(LiveStack.STACK, 9000)) {
                    InputStream in = socket.getInputStream();
                    assertArrayEquals(HELLO, in.readNBytes(HELLO.length));
                    assertEquals(-1, in.read(), "tcpsim's FIN");
                    return socket.getLocalPort();
                }
            });
            FourTuple tuple = new FourTuple(STACK, 9000, KERNEL, localPort);
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> live.onStack((tcp, now) -> stateOf(tcp.connection(tuple))) == TcpState.TIME_WAIT);
            String timeWait = live.exec("ss", "-tan", "state", "time-wait").stdout();
            assertTrue(!mentions(timeWait, LiveStack.KERNEL, localPort), "Linux closed second: no TIME_WAIT there:\n" + timeWait);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> live.onStack((tcp, now) -> stateOf(tcp.connection(tuple))) == TcpState.CLOSED);
        }
    }

    @Test
    void linuxConnectToATcpsimPortWithoutListenerIsRefusedAtOnce() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            long elapsedMillis = live.kernel(() -> {
                long start = System.nanoTime();
                assertThrows(ConnectException.class, () -> new Socket(LiveStack.STACK, 9999).close());
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            assertTrue(elapsedMillis < 1000, "refused at once, took " + elapsedMillis + " ms");
        }
    }

    @Test
    void tcpsimConnectsToALinuxListenerAndExchangesData() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            ServerSocket server = live.kernel(() -> new ServerSocket(5001, 8, InetAddress.getByName(LiveStack.KERNEL)));
            Thread.ofVirtual().start(() -> answerPingWithPong(server));
            CompletableFuture<String> reply = new CompletableFuture<>();
            live.onStack((tcp, now) -> {
                TcpConnection c = tcp.connect(STACK, KERNEL, 5001, now);
                c.setListener(new Collector(reply, "ping"));
                return c;
            });
            assertEquals("pong", reply.get(10, TimeUnit.SECONDS));
            server.close();
        }
    }

    @Test
    void sackIsNegotiatedWithLinuxEitherWay() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            ServerSocket server = live.kernel(() -> new ServerSocket(5003, 8, InetAddress.getByName(LiveStack.KERNEL)));
            Thread.ofVirtual().start(() -> answerPingWithPong(server));
            CompletableFuture<String> reply = new CompletableFuture<>();
            TcpConnection toLinux = live.onStack((tcp, now) -> {
                TcpConnection c = tcp.connect(STACK, KERNEL, 5003, now);
                c.setListener(new Collector(reply, "ping"));
                return c;
            });
            assertEquals("pong", reply.get(10, TimeUnit.SECONDS));
            boolean outgoing = live.onStack((tcp, now) -> toLinux.sackPermitted());
            assertTrue(outgoing, "tcpsim's SYN offers SACK, Linux's SYN-ACK echoes it");
            server.close();
            live.onStack((tcp, now) -> EchoServer.listen(tcp, LiveStack.clock(), STACK, ECHO, 16));
            boolean incoming = live.kernel(() -> {
                try (Socket socket = new Socket(LiveStack.STACK, ECHO)) {
                    socket.getOutputStream().write(HELLO);
                    assertArrayEquals(HELLO, socket.getInputStream().readNBytes(HELLO.length));
                    FourTuple tuple = new FourTuple(STACK, ECHO, KERNEL, socket.getLocalPort());
                    return live.onStack((tcp, now) -> tcp.connection(tuple).sackPermitted());
                }
            });
            // That Linux then uses SACK on it: BulkTransferTest#kernelRepairsItsLossesWithTcpsimsSackBlocks.
            assertTrue(incoming, "Linux's SYN offers SACK, tcpsim's SYN-ACK echoes it");
        }
    }

    @Test
    void tcpsimConnectToAClosedLinuxPortIsRefused() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            CompletableFuture<TcpError> outcome = connectOutcome(live, KERNEL, 5002);
            assertEquals(TcpError.ECONNREFUSED, outcome.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void tcpsimConnectToAnAddressNobodyAnswersTimesOutAfterItsSynRetries() throws Exception {
        try (LiveStack live = LiveStack.start(null, 1500, tcp -> tcp.withSynRetries(1))) {
            long start = System.nanoTime();
            CompletableFuture<TcpError> outcome = connectOutcome(live, Ipv4Address.parse("10.0.0.77"), 80);
            assertEquals(TcpError.ETIMEDOUT, outcome.get(15, TimeUnit.SECONDS));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds >= 2 && seconds <= 5, "SYN at 0 and 1 s, ETIMEDOUT at 3 s; took " + seconds + " s");
        }
    }

    /** Connects from tcpsim; the future completes with the error the connection ends with. */
    private static CompletableFuture<TcpError> connectOutcome(LiveStack live, int remoteAddr, int remotePort)
            throws Exception {
        CompletableFuture<TcpError> outcome = new CompletableFuture<>();
        live.onStack((tcp, now) -> {
            tcp.connect(STACK, remoteAddr, remotePort, now).setListener(new ConnectionListener() {
                @Override
                public void closed(TcpConnection c, TcpError error) {
                    outcome.complete(error);
                }
            });
            return null;
        });
        return outcome;
    }

    /** Whether {@code ss} output names {@code address:port}, plain or IPv4-mapped ([::ffff:a]:p). */
    private static boolean mentions(String ssOutput, String address, int port) {
        return ssOutput.contains(address + ":" + port + " ") || ssOutput.contains(address + "]:" + port + " ");
    }

    @Test
    void tcpsimConnectAcrossAnUnreachableRouteFailsAtOnceWithEhostunreach() throws Exception {
        try (LiveStack live = LiveStack.start(null)) {
            live.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
            live.exec("ip", "route", "add", "unreachable", "10.0.5.0/24").orThrow();
            long start = System.nanoTime();
            CompletableFuture<TcpError> outcome = connectOutcome(live, Ipv4Address.parse("10.0.5.1"), 80);
            assertEquals(TcpError.EHOSTUNREACH, outcome.get(5, TimeUnit.SECONDS),
                    "Linux's router answers the SYN with ICMP host unreachable");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 900, "before any SYN retransmission");
        }
    }

    private static TcpState stateOf(TcpConnection connection) {
        return connection == null ? TcpState.CLOSED : connection.state();
    }

    private static void answerPingWithPong(ServerSocket server) {
        try (Socket peer = server.accept()) {
            byte[] ping = peer.getInputStream().readNBytes(4);
            if (new String(ping, StandardCharsets.US_ASCII).equals("ping")) {
                peer.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes a request once established, completes with the first bytes read back. */
    private record Collector(CompletableFuture<String> reply, String request) implements ConnectionListener {
        @Override
        public void established(TcpConnection c) {
            byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            c.write(bytes, 0, bytes.length, LiveStack.clock().nanoTime());
        }

        @Override
        public void readable(TcpConnection c) {
            byte[] buffer = new byte[64];
            int n = c.read(buffer, 0, buffer.length, LiveStack.clock().nanoTime());
            if (n > 0) {
                reply.complete(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void closed(TcpConnection c, TcpError error) {
            reply.completeExceptionally(new IllegalStateException("closed before the reply: " + error));
        }
    }
}
