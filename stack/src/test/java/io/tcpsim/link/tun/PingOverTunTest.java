package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.ip.IpDrop;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.tun.ProcessResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Linux kernel pings tcpsim through a real TUN, inside a namespace the test creates and removes. */
@RequiresTun
class PingOverTunTest {

    private static final int PINGS = 20;
    private static final int MAX_PAYLOAD = 1472;

    @Test
    void twentyPingsWithPayloadsFrom0To1472AllGetRepliesAndThePcapHoldsThem(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("ping.pcap");
        String namespace;
        List<String> failures = new ArrayList<>();
        try (LiveStack live = LiveStack.start(pcap)) {
            namespace = live.namespace();
            for (int i = 0; i < PINGS; i++) {
                int size = i * MAX_PAYLOAD / (PINGS - 1);
                ProcessResult ping = live.exec("ping", "-n", "-c", "1", "-W", "2", "-s", Integer.toString(size), LiveStack.STACK);
                if (!ping.success() || !ping.stdout().contains("1 received")) {
                    failures.add("size " + size + ": " + ping.stdout() + ping.stderr());
                }
            }
            assertEquals(0, live.stack().counters().dropped(IpDrop.INTERNAL_ERROR));
        }
        assertEquals(List.of(), failures, "every ping gets its reply");
        assertFalse(TunNetwork.namespaceExists(namespace), "the namespace is removed");
        assertPcapHoldsTheIcmpExchange(pcap);
    }

    @Test
    void namespaceIsRemovedWhenTheTestFailsMidway() throws Exception {
        String[] namespace = new String[1];
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> {
            try (LiveStack live = LiveStack.start(null)) {
                namespace[0] = live.namespace();
                assertTrue(TunNetwork.namespaceExists(namespace[0]));
                throw new IllegalStateException("failing midway, with the stack running");
            }
        });
        assertEquals("failing midway, with the stack running", failure.getMessage());
        assertFalse(TunNetwork.namespaceExists(namespace[0]), "namespace " + namespace[0] + " was left behind");
    }

    private static void assertPcapHoldsTheIcmpExchange(Path pcap) throws IOException, InterruptedException {
        List<String> types = tshark(pcap, "-T", "fields", "-e", "icmp.type");
        assertEquals(2 * PINGS, types.size(), "requests and replies in " + pcap + ": " + types);
        assertEquals(PINGS, types.stream().filter("8"::equals).count(), "echo requests");
        assertEquals(PINGS, types.stream().filter("0"::equals).count(), "echo replies");
        List<String> malformed = tshark(pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error");
        assertEquals(List.of(), malformed, "tshark finds malformed packets");
    }

    private static List<String> tshark(Path pcap, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, process.exitValue(), "tshark -r " + pcap + " exit status");
        return out.lines().filter(line -> !line.isBlank()).toList();
    }
}
