package io.tcpsim.control;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.PairLoop;
import io.tcpsim.StackConfig;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.Ipv4Address;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket over two tcpsim stacks joined in-process ({@link PairLoop}): the server
 * answers for stack A (10.0.0.1); stack B (10.0.0.2) is the peer. No TUN needed.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlServerTest {
    private static final int A = Ipv4Address.parse("10.0.0.1");
    private static final int B = Ipv4Address.parse("10.0.0.2");
    private static final Duration ANSWER = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final SystemClock clock = new SystemClock();
    private PairLoop pair;
    private SocketApi a;
    private SocketApi b;
    private ControlServer control;

    @BeforeEach
    void start() throws IOException {
        pair = PairLoop.start(StackConfig.linuxDefaults(A, 1500), StackConfig.linuxDefaults(B, 1500), 1500, 0, clock);
        a = new SocketApi(pair.first(), clock, A);
        b = new SocketApi(pair.second(), clock, B);
        control = ControlServer.start(dir.resolve("t.sock"), pair.first(), a, clock, Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws Exception {
        control.close();
        pair.close();
    }

    private String ask(String request) throws Exception {
        try (ControlClient client = ControlClient.open(control.path())) {
            return client.ask(request, ANSWER);
        }
    }

    private int listen(SocketApi api, int port, int backlog) {
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, api.bind(fd, SockAddrIn.of(0, port)));
        assertEquals(0, api.listen(fd, backlog));
        return fd;
    }

    private int connect(SocketApi api, int address, int port) {
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, api.connect(fd, SockAddrIn.of(address, port)));
        return fd;
    }

    @Test
    void ssListsListenersWithTheirQueueAndConnectionsWithTheirInfoLine() throws Exception {
        int listener = listen(a, 7000, 3);
        int peer = connect(b, A, 7000);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> ask("ss -l").contains("LISTEN 1      3"));
        String listening = ask("ss -l");
        assertTrue(listening.startsWith("State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n"), listening);
        // Linux's ss shows a listener's accept queue as unacked too (tcpi_unacked aliased).
        assertTrue(listening.contains("0.0.0.0:7000      0.0.0.0:*\n\t cubic cwnd:10 unacked:1\n"), listening);
        assertFalse(listening.contains("ESTAB"), "-l shows listeners only:\n" + listening);

        String connected = ask("ss");
        assertTrue(connected.matches("(?s).*\nESTAB 0      0 +10\\.0\\.0\\.1:7000 +10\\.0\\.0\\.2:\\d+\n.*"), connected);
        assertTrue(connected.contains("\t ts sack cubic wscale:7,7 rto:"), connected);
        assertTrue(connected.contains(" mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 "), connected);
        assertFalse(connected.contains("LISTEN"), "ss without -l or -a shows connections only:\n" + connected);
        b.close(peer);
        a.close(listener);
    }

    /** A host sharded over several stacks (serve --queues): ss lists every shard's sockets, stats sums their counters. */
    @Test
    void overSeveralStacksSsListsTheSocketsOfEachAndStatsSumsTheirCounters() throws Exception {
        int listener = listen(a, 7010, 3);
        int peer = connect(b, A, 7010);
        try (ControlServer both = ControlServer.start(dir.resolve("both.sock"), List.of(pair.first(),
                pair.second()), a, clock); ControlClient client = ControlClient.open(both.path())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ask("stats").contains("TcpPassiveOpens"));
            String connected = client.ask("ss", ANSWER);
            assertTrue(connected.matches("(?s).*\nESTAB 0      0 +10\\.0\\.0\\.1:7010 +10\\.0\\.0\\.2:\\d+\n.*"), connected);
            assertTrue(connected.matches("(?s).*\nESTAB 0      0 +10\\.0\\.0\\.2:\\d+ +10\\.0\\.0\\.1:7010\n.*"), connected);
            try (ControlClient again = ControlClient.open(both.path())) {
                String stats = again.ask("stats", ANSWER);
                assertTrue(stats.matches("(?s).*\nTcpActiveOpens +1\n.*"), stats);
                assertTrue(stats.matches("(?s).*\nTcpPassiveOpens +1\n.*"), stats);
                assertTrue(stats.matches("(?s).*\nTcpCurrEstab +2\n.*"), stats);
            }
        }
        b.close(peer);
        a.close(listener);
    }

    /** Linux's ss names an AF_INET6 socket's IPv4 connection by its mapped addresses. */
    @Test
    void ssShowsAnIpv4ConnectionOfADualStackSocketWithMappedAddresses() throws Exception {
        int listener = a.socket(AF_INET6, SOCK_STREAM, 0);
        assertEquals(0, a.bind(listener, SockAddrIn6.of(SockAddrIn6.ANY, 7002)));
        assertEquals(0, a.listen(listener, 3));
        int peer = connect(b, A, 7002);
        int served = a.accept(listener, null);
        String all = ask("ss -a");
        assertTrue(all.matches("(?s).*\nLISTEN +0 +3 +\\[::]:7002 +\\[::]:\\*\n.*"), all);
        assertTrue(all.matches("(?s).*\nESTAB +0 +0 +\\[::ffff:10\\.0\\.0\\.1]:7002"
                + " +\\[::ffff:10\\.0\\.0\\.2]:\\d+\n.*"), all);
        b.close(peer);
        a.close(served);
        a.close(listener);
    }

    @Test
    void ssAllShowsTimeWaitWithItsTimerAfterTheStackClosedFirst() throws Exception {
        int listener = listen(a, 7001, 3);
        int peer = connect(b, A, 7001);
        int served = a.accept(listener, null);
        assertEquals(0, a.close(served));
        byte[] buf = new byte[16];
        assertEquals(0, b.read(peer, buf, 0, buf.length), "the stack's FIN");
        assertEquals(0, b.close(peer));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ask("ss -a").contains("TIME-WAIT"));
        String all = ask("ss -a");
        assertTrue(all.matches("(?s).*TIME-WAIT 0      0 +10\\.0\\.0\\.1:7001 +10\\.0\\.0\\.2:\\d+ timer:\\(timewait,"
                + "[0-9]+sec,0\\)\n.*"), all);
        assertFalse(ask("ss").contains("TIME-WAIT"), "ss's default leaves TIME-WAIT out");
        a.close(listener);
    }

    @Test
    void statsShowsTheCountersUnderLinuxsNamesAndZerosOnlyWithZ() throws Exception {
        int listener = listen(a, 7002, 3);
        int peer = connect(b, A, 7002);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ask("stats").contains("TcpPassiveOpens"));
        String stats = ask("stats");
        assertTrue(stats.startsWith("#tcpsim\n"), stats);
        assertTrue(stats.contains("\nTcpPassiveOpens                 1\n"), stats);
        assertFalse(stats.contains("TcpActiveOpens"), "stack A made no active open, and zeros are left out");
        String zeros = ask("stats -z");
        assertTrue(zeros.contains("\nTcpActiveOpens                  0\n"), zeros);
        assertTrue(zeros.contains("\nDrop.FRAGMENT_OVERLAP           0\n"), zeros);
        assertTrue(zeros.contains("\nUdpNoPorts                      0\n"), zeros);
        assertTrue(zeros.matches("(?s).*\nTcpExtTCPTimeWaitOverflow +0\n.*"), zeros);
        assertTrue(zeros.matches("(?s).*\nFiles\\.ENFILE +0\n.*"), zeros);
        assertTrue(stats.matches("(?s).*\nFiles\\.Open +[1-9][0-9]*\n.*"), "the listener's file is open: " + stats);
        b.close(peer);
        a.close(listener);
    }

    @Test
    void unknownRequestsAndFlagsGetAnErrorLine() {
        ControlClient.Refused unknown = assertThrows(ControlClient.Refused.class, () -> ask("frobnicate now"));
        assertEquals("unknown request 'frobnicate'", unknown.getMessage());
        assertEquals("ss: unknown flag '-x'", assertThrows(ControlClient.Refused.class, () -> ask("ss -x")).getMessage());
        assertEquals("stats: unknown flags [-a]",
                assertThrows(ControlClient.Refused.class, () -> ask("stats -a")).getMessage());
        assertEquals("bad port '0'", assertThrows(ControlClient.Refused.class, () -> ask("nc listen 0")).getMessage());
        assertEquals("nc: bad address '10.0.0.300'",
                assertThrows(ControlClient.Refused.class, () -> ask("nc connect 10.0.0.300 5")).getMessage());
    }

    @Test
    void anOverlongRequestGetsAnErrorLine() throws Exception {
        String answer = raw("x".repeat(ControlProtocol.MAX_REQUEST_BYTES + 10) + "\n");
        assertEquals("error request line longer than 256 bytes\n", answer);
    }

    @Test
    void aRequestThatDoesNotArriveInTimeIsCutOff() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control.path()));
            Lines.write(ch, "ss"); // no newline
            long start = System.nanoTime();
            assertEquals(-1, ch.read(ByteBuffer.allocate(16)), "closed without an answer");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void ncConnectRelaysBothWaysAndTheEndOfInputIsAHalfClose() throws Exception {
        int listener = listen(b, 7100, 1);
        CompletableFuture<String> got = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            int fd = b.accept(listener, null);
            String input = readAll(b, fd); // until the client's FIN
            byte[] reply = ("got:" + input).getBytes(StandardCharsets.US_ASCII);
            b.write(fd, reply, 0, reply.length);
            b.close(fd);
            got.complete(input);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ControlClient client = ControlClient.open(control.path())) {
            client.relay("nc connect 10.0.0.2 7100", input("ping\n"), out);
        }
        assertEquals("ping\n", got.get(10, TimeUnit.SECONDS));
        assertEquals("got:ping\n", out.toString(StandardCharsets.US_ASCII));
        b.close(listener);
    }

    @Test
    void ncConnectToAClosedPortSaysEconnrefused() throws Exception {
        try (ControlClient client = ControlClient.open(control.path())) {
            ControlClient.Refused e = assertThrows(ControlClient.Refused.class,
                    () -> client.relay("nc connect 10.0.0.2 7999", input(""), new ByteArrayOutputStream()));
            assertEquals("connect 10.0.0.2:7999: ECONNREFUSED", e.getMessage());
        }
    }

    @Test
    void ncListenRelaysTheFirstConnectionAndStopsListening() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> relayed = CompletableFuture.runAsync(() -> {
            try (ControlClient client = ControlClient.open(control.path())) {
                client.relay("nc listen 7200", input("yo\n"), out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int fd = b.socket(AF_INET, SOCK_STREAM, 0);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.connect(fd, SockAddrIn.of(A, 7200)) == 0);
        byte[] hi = "hi\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(hi.length, b.write(fd, hi, 0, hi.length));
        assertEquals(0, b.shutdown(fd, SHUT_WR));
        assertEquals("yo\n", readAll(b, fd));
        relayed.get(10, TimeUnit.SECONDS);
        assertEquals("hi\n", out.toString(StandardCharsets.US_ASCII));
        assertFalse(ask("ss -l").contains(":7200"), "nc -l accepts one connection, then stops listening");
        b.close(fd);
    }

    @Test
    void ncListenOnAPortInUseSaysEaddrinuse() throws Exception {
        int listener = listen(a, 7300, 1);
        try (ControlClient client = ControlClient.open(control.path())) {
            ControlClient.Refused e = assertThrows(ControlClient.Refused.class,
                    () -> client.relay("nc listen 7300", input(""), new ByteArrayOutputStream()));
            assertEquals("bind [::]:7300: EADDRINUSE", e.getMessage());
        }
        a.close(listener);
    }

    @Test
    void closeRemovesTheSocketFileAndAStaleFileIsReplacedAtStart() throws Exception {
        Path stale = dir.resolve("stale.sock");
        Files.writeString(stale, "left by a killed serve");
        try (ControlServer other = ControlServer.start(stale, pair.first(), a, clock)) {
            try (ControlClient client = ControlClient.open(other.path())) {
                assertTrue(client.ask("stats -z", ANSWER).startsWith("#tcpsim"));
            }
        }
        assertFalse(Files.exists(stale), "close removes the socket");
    }

    private String raw(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control.path()));
            Lines.write(ch, request);
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String readAll(SocketApi api, int fd) {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[1024];
        for (long n = api.read(fd, buf, 0, buf.length); n > 0; n = api.read(fd, buf, 0, buf.length)) {
            text.append(new String(buf, 0, (int) n, StandardCharsets.US_ASCII));
        }
        return text.toString();
    }
}
