package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.testsupport.RequiresTun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpsim bench}: the CI smoke run of every workload, short and small (figures not asserted,
 * only that each was measured for tcpsim and its references), and its argument errors.
 */
class BenchCommandTest {

    private static final String PREFIX = "tcpsim-tb";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** 30 to 50 s: every workload against tcpsim, the kernel over veth and the raw TUN sink. */
    @Test
    @RequiresTun
    void smokeRunMeasuresEveryWorkloadBesideItsReferences() throws Exception {
        int status = run("bench", "all", "300", "--seconds", "0.3", "--json", "--ns-prefix", PREFIX);
        String json = out.toString();
        assertEquals(0, status, err.toString());
        for (String what : new String[] {"kernel -> peer, 1 flow, MTU 1500", "peer -> kernel, 4 flows, MTU 9000"}) {
            assertPositive(json, what, "tcpsim");
            assertPositive(json, what, "veth");
        }
        assertPositive(json, "kernel -> peer, 1 flow, MTU 1500", "sink");
        assertPositive(json, "kernel -> peer, 1 flow, MTU 1500, offloads", "tcpsim");
        assertPositive(json, "kernel -> peer, 1 flow, MTU 1500, offloads", "sink");
        assertPositive(json, "peer -> kernel, 1 flow, MTU 1500, offloads", "tcpsim");
        assertPositive(json, "kernel -> peer, 1 flow, MTU 1500, offloads, socket API", "tcpsim");
        assertPositive(json, "kernel -> peer, 1 flow, MTU 1500, offloads, socket API", "sink");
        assertPositive(json, "peer -> kernel, 1 flow, MTU 1500, socket API", "tcpsim");
        assertPositive(json, "peer -> kernel, 1 flow, MTU 1500, socket API", "veth");
        assertPositive(json, "kernel -> peer, 1 flow, MTU 9000, offloads", "tcpsim");
        assertPositive(json, "kernel -> peer, 1 flow, MTU 9000, offloads", "sink");
        assertPositive(json, "peer -> kernel, 4 flows, MTU 9000, offloads", "tcpsim");
        assertPositive(json, "1-byte request/response", "tcpsim");
        assertPositive(json, "1-byte request/response", "veth");
        assertPositive(json, "1-byte request/response", "sink");
        for (String column : new String[] {"tcpsim", "veth", "sink"}) {
            assertPositive(json, "open, 1-byte request/response, close; 32 at once", column);
            assertPositive(json, "CPU per connection (generator and peer threads)", column);
        }
        assertTrue(json.contains("\"case\":\"300 connections echoed once, held open\",\"unit\":\"conn\","
                + "\"tcpsim\":300.000"), "all 300 held connections echoed through tcpsim: " + json);
        assertTrue(json.contains("\"targets\":[\"kernel -> tcpsim"), json);
        assertTrue(err.toString().matches("(?s).*tcpsim +kernel -> peer, 1 flow\\(s\\): \\d+ Mbit/s \\(.*; stack threads "
                + "allocated \\d+\\.\\d B per 64 KiB\\).*"), "tcpsim's throughput lines say what its stack allocated: " + err);
        assertFalse(TunNetwork.namespaces().stream().anyMatch(n -> n.startsWith(PREFIX + "-" + ProcessHandle.current().pid())),
                "every namespace removed");
    }

    /**
     * About 5 s: {@code --pcap} records the tcpsim run's TUN traffic (only tcpsim's: the references'
     * packets never pass through tcpsim) into one file that tcpdump reads: the handshake of the
     * request/response connection and its 1-byte exchanges, both ways.
     */
    @Test
    @RequiresTun
    void pcapRecordsTcpsimsTunTrafficReadableByTcpdump(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("bench.pcap");
        int status = run("bench", "rr", "--seconds", "0.2", "--json", "--ns-prefix", PREFIX, "--pcap", pcap.toString());
        assertEquals(0, status, err.toString());
        assertTrue(err.toString().contains("tcpsim's packets recorded to " + pcap), err.toString());
        Process tcpdump = new ProcessBuilder("tcpdump", "-n", "-r", pcap.toString()).redirectErrorStream(true).start();
        String text = new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tcpdump.waitFor(60, TimeUnit.SECONDS), "tcpdump finished");
        assertEquals(0, tcpdump.exitValue(), text.lines().limit(5).toList().toString());
        String head = text.lines().limit(5).toList().toString();
        assertTrue(text.lines().anyMatch(l -> l.matches(".* IP 10\\.0\\.0\\.1\\.\\d+ > 10\\.0\\.0\\.2\\.\\d+: Flags \\[S\\].*")),
                "the kernel's SYN to tcpsim: " + head);
        assertTrue(text.lines().anyMatch(l -> l.matches(".* IP 10\\.0\\.0\\.2\\.\\d+ > 10\\.0\\.0\\.1\\.\\d+: Flags \\[S\\.\\].*")),
                "tcpsim's SYN-ACK: " + head);
        assertTrue(text.lines().filter(l -> l.endsWith(", length 1")).count() > 100, "1-byte requests and responses");
    }

    @Test
    void unknownWorkloadIsOneLineAndStatus2() {
        assertEquals(2, run("bench", "nonsense"));
        assertTrue(err.toString().startsWith("tcpsim: unknown workload 'nonsense'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    @Test
    void secondsOutOfRangeIsRefused() {
        assertEquals(2, run("bench", "rr", "--seconds", "0"));
        assertTrue(err.toString().contains("--seconds 0.0 is not in (0, 600]"), err.toString());
    }

    @Test
    void queuesOutOfRangeIsRefused() {
        assertEquals(2, run("bench", "throughput", "--queues", "17"));
        assertTrue(err.toString().contains("--queues 17 is not in 1..16"), err.toString());
    }

    private static void assertPositive(String json, String what, String column) {
        Matcher m = Pattern.compile("\"case\":\"" + Pattern.quote(what) + "\"[^}]*\"" + column + "\":([0-9.]+)")
                .matcher(json);
        assertTrue(m.find(), what + " has a " + column + " figure: " + json);
        assertTrue(Double.parseDouble(m.group(1)) > 0, what + " " + column + " > 0: " + json);
    }
}
