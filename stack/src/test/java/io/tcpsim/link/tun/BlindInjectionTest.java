package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.EchoServer;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 (b): a raw-socket injector in the namespace ({@code blind_inject.py}, standard library
 * only) sends spoofed RSTs, SYNs and data segments, half inside the receive window (never at
 * RCV.NXT exactly) and half outside, at live connections from Linux clients to tcpsim's echo
 * service. RFC 5961: none is reset, none gets a byte of the injected data, and the challenge ACKs
 * stay within one per connection per 500 ms (tcp_invalid_ratelimit). Bounded:
 * {@value #CONNECTIONS} x {@value #PER_CONNECTION} segments.
 */
@RequiresTun
class BlindInjectionTest {
    private static final int PORT = 7007;
    private static final int CONNECTIONS = 3;
    private static final int PER_CONNECTION = 3000;
    private static final int PATTERN_BYTES = 20_000;

    @Test
    void blindRstSynAndDataNeitherResetNorCorruptAndChallengeAcksAreRateLimited(@TempDir Path dir) throws Exception {
        Path injector = dir.resolve("blind_inject.py");
        try (InputStream in = BlindInjectionTest.class.getResourceAsStream("blind_inject.py")) {
            Files.write(injector, in.readAllBytes());
        }
        try (LiveStack live = LiveStack.start(SynFloodTest.NAMESPACE_PREFIX, null, 1500, UnaryOperator.identity(),
                UnaryOperator.identity())) {
            int stack = Ipv4Address.parse(LiveStack.STACK);
            live.onStack((tcp, now) -> EchoServer.listen(tcp, LiveStack.clock(), stack, PORT, 16));
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket s = live.kernel(() -> {
                        Socket socket = new Socket();
                        socket.connect(new InetSocketAddress(LiveStack.STACK, PORT), 5000);
                        return socket;
                    });
                    s.setSoTimeout(10_000);
                    clients.add(s);
                    echo(s, 100, i);
                }
                Map<String, Long> before = live.onStack((tcp, now) -> tcp.counters().snapshot());
                long started = System.nanoTime();
                List<String> reports = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    FourTuple tuple = new FourTuple(stack, PORT, Ipv4Address.parse(LiveStack.KERNEL),
                            clients.get(i).getLocalPort());
                    int[] window = live.onStack((tcp, now) -> {
                        TcpConnection c = tcp.connection(tuple);
                        return new int[] {c.rcvNxt(), c.rcvWnd()};
                    });
                    reports.add(inject(live, injector, tuple, window[0], window[1], i));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                Thread.sleep(200);
                Map<String, Long> after = live.onStack((tcp, now) -> tcp.counters().snapshot());
                long challenges = delta(before, after, "TcpExtTCPChallengeACK");
                long skipped = delta(before, after, "TcpExtTCPACKSkippedChallenge");
                long resets = delta(before, after, "TcpEstabResets");
                long allowed = CONNECTIONS * ((long) Math.ceil(seconds / 0.5) + 1);
                String figures = String.format("%d x %d segments in %.2f s %s; challenge ACKs %d (bound %d),"
                        + " skipped by the rate limit %d; EstabResets %d", CONNECTIONS, PER_CONNECTION, seconds,
                        reports, challenges, allowed, skipped, resets);
                System.out.println("BlindInjectionTest: " + figures);
                for (int i = 0; i < CONNECTIONS; i++) {
                    FourTuple tuple = new FourTuple(stack, PORT, Ipv4Address.parse(LiveStack.KERNEL),
                            clients.get(i).getLocalPort());
                    assertEquals(TcpState.ESTABLISHED, live.onStack((tcp, now) -> tcp.connection(tuple).state()), figures);
                    echo(clients.get(i), PATTERN_BYTES, i);
                }
                assertEquals(0, resets, figures);
                assertTrue(challenges >= 1 && challenges <= allowed, figures);
                assertTrue(skipped > 0, figures);
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    private static String inject(LiveStack live, Path injector, FourTuple tuple, int rcvNxt, int window, int seed)
            throws IOException, InterruptedException {
        Process p = live.command("python3", injector.toString(), LiveStack.KERNEL, LiveStack.STACK,
                Integer.toString(tuple.remotePort()), Integer.toString(PORT), Integer.toUnsignedString(rcvNxt),
                Integer.toString(window), Integer.toString(PER_CONNECTION), Integer.toString(seed))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the injector ended");
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Sends {@code n} bytes of a pattern and checks that exactly they come back. */
    private static void echo(Socket s, int n, int salt) throws IOException {
        byte[] pattern = new byte[n];
        for (int i = 0; i < n; i++) {
            pattern[i] = (byte) ('a' + (i * 7 + salt) % 26);
        }
        s.getOutputStream().write(pattern);
        byte[] back = s.getInputStream().readNBytes(n);
        assertArrayEquals(pattern, back, "the echo is exactly what was sent");
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String counter) {
        return after.get(counter) - before.get(counter);
    }
}
