package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.testsupport.RequiresTun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpsim ss}, {@code stats} and {@code nc} against a {@code tcpsim serve} process, with the
 * kernel's own tools (nc, ss) in the serve's namespace on the other side. One serve for the class;
 * its namespace is removed afterwards whatever happens.
 */
@RequiresTun
class ControlCommandsProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** serve's services are AF_INET6 sockets on ::, so ss names their IPv4 connections mapped, as Linux's ss does. */
    private static final Pattern ESTAB_DISCARD = Pattern.compile(
            "\nESTAB +0 +0 +\\[::ffff:10\\.0\\.0\\.2\\]:9 +\\[::ffff:10\\.0\\.0\\.1\\]:(\\d+)\n\t([^\n]*)\n");

    @TempDir
    static Path dir;

    private static String namespace;
    private static ServeProcess serve;
    private final List<Process> kernelSide = new ArrayList<>();

    @BeforeAll
    static void startServe() throws IOException {
        namespace = TunNetwork.uniqueNamespace("tcpsim-t");
        serve = ServeProcess.serve(dir, namespace);
        serve.awaitOutput("control socket", ServeProcess.START_TIMEOUT_SECONDS);
    }

    @AfterAll
    static void stopServe() throws IOException, InterruptedException {
        if (serve != null) {
            serve.stop();
        }
        if (TunNetwork.namespaceExists(namespace)) {
            TunNetwork.deleteNamespace(namespace);
        }
    }

    @AfterEach
    void stopKernelSide() throws InterruptedException {
        for (Process p : kernelSide) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ssShowsTheKernelsConnectionsInTheStatesItExpects() throws Exception {
        Process discard = startInside(null, "nc", "10.0.0.2", "9"); // stdin stays open: ESTABLISHED until destroyed
        Awaitility.await().atMost(WAIT).until(() -> ESTAB_DISCARD.matcher(tcpsim("ss")).find());
        Matcher m = ESTAB_DISCARD.matcher(tcpsim("ss"));
        assertTrue(m.find());
        String kernelPort = m.group(1);
        String kernelView = runInside(null, "ss", "-tnH", "state", "established", "dport", "=", ":9");
        assertTrue(kernelView.contains("10.0.0.1:" + kernelPort), "the kernel sees the same connection: " + kernelView);
        assertTrue(m.group(2).matches(" ts sack cubic wscale:\\d+,7 rto:\\S+ rtt:\\S+ mss:1448 pmtu:1500 rcvmss:536 advmss:1448 "
                + "cwnd:10 .*"), "the -i line: " + m.group(2));

        String listening = tcpsim("ss", "-l");
        for (int port : new int[] {7, 9, 13, 19, 80}) {
            // serve's TCP services listen on :: (dual stack) since it has an IPv6 address
            assertTrue(Pattern.compile("\nLISTEN +0 +128 +\\[::\\]:" + port + " +\\[::\\]:\\*\n\t cubic cwnd:10\n")
                    .matcher(listening).find(), "listener " + port + " in:\n" + listening);
        }
        assertFalse(listening.contains("ESTAB"), listening);

        assertTrue(runInside(null, "nc", "-d", "10.0.0.2", "13").endsWith("\n"), "daytime answered");
        Awaitility.await().atMost(WAIT).until(() -> tcpsim("ss", "-a").contains("TIME-WAIT"));
        String all = tcpsim("ss", "-a");
        assertTrue(Pattern.compile("\nTIME-WAIT +0 +0 +\\[::ffff:10\\.0\\.0\\.2\\]:13 +\\[::ffff:10\\.0\\.0\\.1\\]:\\d+"
                + " timer:\\(timewait,\\d+sec,0\\)\n")
                .matcher(all).find(), "daytime closed first, so tcpsim waits in TIME-WAIT:\n" + all);
        assertTrue(all.contains("LISTEN") && all.contains("ESTAB"), all);
        assertFalse(tcpsim("ss").contains("TIME-WAIT"), "ss's default leaves TIME-WAIT out");
        discard.destroy();
    }

    @Test
    void statsCountsOnePassiveOpenPerKernelConnection() throws Exception {
        long before = counter(tcpsim("stats", "-z"), "TcpPassiveOpens");
        for (int i = 0; i < 3; i++) {
            assertEquals("x" + i + "\n", runInside("x" + i + "\n", "nc", "-N", "-w", "5", "10.0.0.2", "7"), "echo");
        }
        String stats = tcpsim("stats");
        assertTrue(stats.startsWith("#tcpsim\n"), stats);
        assertEquals(before + 3, counter(stats, "TcpPassiveOpens"), stats);
        assertTrue(counter(stats, "TcpInSegs") > 0 && counter(stats, "IpInReceives") > 0, stats);
    }

    @Test
    void ncTalksToALinuxListenerBothWays() throws Exception {
        Process listener = startInside("from-kernel\n", "nc", "-l", "10.0.0.1", "5000");
        Awaitility.await().atMost(WAIT).until(() -> !runInside(null, "ss", "-tlnH", "sport", "=", ":5000").isBlank());
        ServeProcess nc = ServeProcess.start(dir, bytes("from-tcpsim\n"), List.of("nc", "--ns", namespace, "10.0.0.1", "5000"));
        assertEquals(0, nc.exitStatus(30), nc.errors());
        assertEquals("from-kernel\n", nc.printed());
        assertTrue(listener.waitFor(30, TimeUnit.SECONDS), "the kernel's nc saw the end of the stream");
        assertEquals("from-tcpsim\n", new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The same over IPv6: serve's default addresses, the kernel's nc listening on fd00::1. */
    @Test
    void ncTalksToALinuxIpv6ListenerBothWays() throws Exception {
        Process listener = startInside("from-kernel6\n", "nc", "-6", "-l", "fd00::1", "5006");
        Awaitility.await().atMost(WAIT).until(() -> !runInside(null, "ss", "-tlnH", "sport", "=", ":5006").isBlank());
        ServeProcess nc = ServeProcess.start(dir, bytes("from-tcpsim6\n"), List.of("nc", "--ns", namespace, "fd00::1", "5006"));
        assertEquals(0, nc.exitStatus(30), nc.errors());
        assertEquals("from-kernel6\n", nc.printed());
        assertTrue(listener.waitFor(30, TimeUnit.SECONDS), "the kernel's nc saw the end of the stream");
        assertEquals("from-tcpsim6\n", new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void ncListenReceivesFromAKernelNc() throws Exception {
        ServeProcess nc = ServeProcess.start(dir, bytes("reply\n"), List.of("nc", "--ns", namespace, "-l", "6000"));
        try {
            Awaitility.await().atMost(WAIT).until(() -> tcpsim("ss", "-l").contains(":6000 "));
            assertEquals("reply\n", runInside("to-tcpsim\n", "nc", "-N", "-w", "10", "10.0.0.2", "6000"));
            assertEquals(0, nc.exitStatus(30), nc.errors());
            assertEquals("to-tcpsim\n", nc.printed());
            assertFalse(tcpsim("ss", "-l").contains(":6000 "), "nc -l listens for one connection only");
        } finally {
            nc.kill();
        }
    }

    /** tcpsim's nc -l listens on :: (dual stack): a kernel client over IPv6 reaches it too. */
    @Test
    void ncListenReceivesFromAKernelNcOverIpv6() throws Exception {
        ServeProcess nc = ServeProcess.start(dir, bytes("reply6\n"), List.of("nc", "--ns", namespace, "-l", "6006"));
        try {
            Awaitility.await().atMost(WAIT).until(() -> tcpsim("ss", "-l").contains("[::]:6006 "));
            assertEquals("reply6\n", runInside("to-tcpsim6\n", "nc", "-6", "-N", "-w", "10", "fd00::2", "6006"));
            assertEquals(0, nc.exitStatus(30), nc.errors());
            assertEquals("to-tcpsim6\n", nc.printed());
        } finally {
            nc.kill();
        }
    }

    @Test
    void ncToAClosedPortSaysEconnrefusedInOneLine() {
        StringWriter err = new StringWriter();
        assertEquals(1, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "nc", "--ns", namespace, "10.0.0.1", "5999"));
        assertEquals("tcpsim nc: connect 10.0.0.1:5999: ECONNREFUSED", err.toString().strip());
    }

    @Test
    void theControlSocketEndsWithItsServeAndAStaleOneIsReplaced(@TempDir Path own) throws Exception {
        String ns = TunNetwork.uniqueNamespace("tcpsim-t");
        Path socket = ServeLock.socketPath(ns);
        ServeProcess killed = ServeProcess.serve(own, ns);
        try {
            killed.awaitOutput("control socket", ServeProcess.START_TIMEOUT_SECONDS);
            killed.kill();
            assertTrue(Files.exists(socket), "SIGKILL leaves the socket file behind");
            StringWriter err = new StringWriter();
            assertEquals(1, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "ss", "--ns", ns));
            assertTrue(err.toString().contains("no tcpsim serve is running on namespace '" + ns + "'"), err.toString());

            ServeProcess next = ServeProcess.serve(own, ns);
            try {
                next.awaitOutput("control socket", ServeProcess.START_TIMEOUT_SECONDS);
                assertTrue(tcpsimOn(ns, "ss", "-l").contains("LISTEN"), "the new serve answers on the replaced socket");
                next.process.destroy();
                next.exitStatus(30);
                assertFalse(Files.exists(socket), "SIGTERM removes the socket");
            } finally {
                next.stop();
            }
        } finally {
            killed.kill();
            if (TunNetwork.namespaceExists(ns)) {
                TunNetwork.deleteNamespace(ns);
            }
            Files.deleteIfExists(socket); // what a killed serve leaves when the test fails before the next one
            Files.deleteIfExists(socket.resolveSibling(ns + ".lock"));
        }
    }

    private static String tcpsim(String... args) {
        return tcpsimOn(namespace, args);
    }

    /** Runs a tcpsim command in this JVM against the serve on {@code ns}; its output, or a failure. */
    private static String tcpsimOn(String ns, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--ns", ns));
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        assertEquals(0, status, "tcpsim " + all + ": " + err);
        return out.toString();
    }

    private static long counter(String stats, String name) {
        Matcher m = Pattern.compile("\n" + name + " +(\\d+)\n").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A command inside the namespace; {@code input} (if any) is written and its stdin closed. */
    private Process startInside(String input, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        kernelSide.add(p);
        if (input != null) {
            p.getOutputStream().write(bytes(input));
            p.getOutputStream().close();
        }
        return p;
    }

    /** Runs a command inside the namespace to its end (bounded) and returns its output. */
    private String runInside(String input, String... command) throws IOException, InterruptedException {
        Process p = startInside(input, command);
        if (input == null) {
            p.getOutputStream().close();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
