package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.testsupport.RequiresTun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpsim serve} as a user runs it: a separate JVM, pinged from inside its namespace, stopped
 * by SIGTERM or killed outright. Whatever happens, the namespace does not outlive the test.
 */
@RequiresTun
class ServeProcessTest {

    private static final long START_TIMEOUT_SECONDS = 60;

    private final String namespace = TunNetwork.uniqueNamespace("tcpsim-t");
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path outputDir;

    @AfterEach
    void removeEverything() throws IOException, InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (TunNetwork.namespaceExists(namespace)) {
            TunNetwork.deleteNamespace(namespace);
        }
    }

    @Test
    void serveAnswersPingRefusesASecondServeAndRemovesItsNamespaceOnSigterm(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("serve.pcap");
        Serve serve = start("--pcap", pcap.toString(), "--debug", "--echo", "7007");
        assertTrue(ping(), "ping from inside the namespace");
        assertEquals("hello\n", echoThrough(7007), "the echo service on the port --echo gave");
        assertEquals("hello\n", udpEchoThrough(7007), "the UDP echo service on the same port");
        sendSctpPacket();
        serve.awaitLine("drop (protocol not handled): IP 10.0.0.1 > 10.0.0.2:  ip-proto-132 ", 10);

        StringWriter err = new StringWriter();
        int second = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "serve", "--ns", namespace);
        assertEquals(1, second);
        assertTrue(err.toString().contains("already running on namespace '" + namespace + "'"), err.toString());

        serve.process.destroy();
        assertTrue(serve.process.waitFor(30, TimeUnit.SECONDS), "serve exits on SIGTERM");
        assertTrue(serve.sawLine("stopped"), "serve says it stopped; it printed: " + serve.printed());
        assertFalse(TunNetwork.namespaceExists(namespace), "namespace removed on SIGTERM");
        assertTrue(Files.size(pcap) > 24, "the pcap holds packets");
    }

    @Test
    void aServeKilledOutrightLeavesANamespaceThatTheNextServeRemoves() throws Exception {
        Serve killed = start();
        killed.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertTrue(TunNetwork.namespaceExists(namespace), "SIGKILL leaves the namespace behind");

        Serve next = start();
        assertTrue(next.sawLine("left by a tcpsim serve that did not exit cleanly"), "the stale namespace is announced");
        assertTrue(ping(), "the new serve answers");
        next.process.destroy();
        assertTrue(next.process.waitFor(30, TimeUnit.SECONDS));
        assertFalse(TunNetwork.namespaceExists(namespace));
    }

    private boolean ping() throws IOException, InterruptedException {
        Process ping = new ProcessBuilder("ip", "netns", "exec", namespace, "ping", "-n", "-c", "1", "-W", "2", "10.0.0.2")
                .redirectErrorStream(true).start();
        return ping.waitFor(20, TimeUnit.SECONDS) && ping.exitValue() == 0;
    }

    /** Sends a line to tcpsim's echo port with the kernel's nc and returns what came back. */
    private String echoThrough(int port) throws IOException, InterruptedException {
        Process nc = new ProcessBuilder("ip", "netns", "exec", namespace, "nc", "-N", "-w", "5", "10.0.0.2",
                Integer.toString(port)).start();
        nc.getOutputStream().write("hello\n".getBytes());
        nc.getOutputStream().close();
        String reply = new String(nc.getInputStream().readAllBytes());
        assertTrue(nc.waitFor(20, TimeUnit.SECONDS), "nc finished");
        return reply;
    }

    /** Sends a line to tcpsim's UDP echo port with the kernel's nc and returns the datagram that came back. */
    private String udpEchoThrough(int port) throws IOException, InterruptedException {
        Process nc = new ProcessBuilder("ip", "netns", "exec", namespace, "bash", "-c",
                "(printf 'hello\\n'; sleep 1) | timeout 10 nc -u -W 1 10.0.0.2 " + port).start();
        String reply = new String(nc.getInputStream().readAllBytes());
        assertTrue(nc.waitFor(20, TimeUnit.SECONDS), "nc finished");
        return reply;
    }

    /** An IP packet of a protocol tcpsim does not handle (132, SCTP), so that the debug log has a drop to tell. */
    private void sendSctpPacket() throws IOException, InterruptedException {
        Process send = new ProcessBuilder("ip", "netns", "exec", namespace, "/usr/bin/python3", "-c",
                "from scapy.all import IP, Raw, send; send(IP(dst='10.0.0.2', proto=132) / Raw(b'tcpsim'), verbose=0)")
                .redirectErrorStream(true).start();
        String output = new String(send.getInputStream().readAllBytes());
        assertTrue(send.waitFor(60, TimeUnit.SECONDS) && send.exitValue() == 0, "packet sent: " + output);
    }

    private Serve start(String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--ns", namespace));
        command.addAll(List.of(extra));
        Path output = Files.createTempFile(outputDir, "serve", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        processes.add(process);
        Serve serve = new Serve(process, output);
        serve.awaitLine("tcpsim serving", START_TIMEOUT_SECONDS);
        return serve;
    }

    /** A serve process whose output goes to a file, read as it grows. */
    private record Serve(Process process, Path output) {

        /** Waits until the output holds {@code fragment}; fails showing everything printed. */
        void awaitLine(String fragment, long seconds) {
            Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertTrue(sawLine(fragment),
                            "expected '" + fragment + "' in the output of serve:\n" + printed()));
        }

        boolean sawLine(String fragment) throws IOException {
            return Files.readString(output).contains(fragment);
        }

        String printed() throws IOException {
            return Files.readString(output);
        }
    }
}
