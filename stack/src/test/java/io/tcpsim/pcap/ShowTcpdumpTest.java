package io.tcpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tcpsim show}'s packet lines agree with tcpdump on every TCP field: with tcpdump's own
 * decodes in shared/pcaps/tcpdump-expected-output, and (where tcpdump 4.99 is installed, always
 * under CI=true) with a live {@code tcpdump -n -#} over every capture of pcap-samples/ and
 * shared/pcaps. Lines are compared up to "length N" (tcpdump decodes the application after it).
 */
class ShowTcpdumpTest {
    private static final Path EXPECTED = SharedDir.pcaps().resolve("tcpdump-expected-output");
    /**
     * tcpdump with frame numbers: "    4  2017-10-07 17:25:19.183706 IP ...", "   1  17:16:09.924505488 IP ...",
     * or with the interface and direction of a Linux cooked v2 capture: "1  13:28:01.5 vs    In  IP ...".
     */
    private static final Pattern TCPDUMP_LINE = Pattern.compile("^\\s*(\\d+)\\s+(?:\\d{4}-\\d{2}-\\d{2} )?"
            + "\\d{2}:\\d{2}:\\d{2}\\.\\d+ (?:\\S+\\s+(?:In|Out|B|M|P)\\s+)?(IP6? .*)$");
    private static final Pattern SHOW_LINE = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\.\\d+\\s+(IP6? .*)$");
    private static final Pattern UP_TO_LENGTH = Pattern.compile("^(.*?\\blength \\d+)");
    private static final Pattern QUIET = Pattern.compile("^(IP6? \\S+ > \\S+): tcp (\\d+)$");

    @Test
    void whoisAgreesWithTcpdump() throws IOException {
        assertAgrees("linux-client-whois-server-close.pcap", "whois.out");
    }

    @Test
    void redisOverLinuxCookedAgreesWithTcpdump() throws IOException {
        assertAgrees("linux-lo-redis-sll-client-close.pcap", "resp_2.out");
    }

    @Test
    void httpWithHexDumpsAgreesWithTcpdump() throws IOException {
        assertAgrees("linux-lo-http-client-close.pcap", "print-x.out");
    }

    /** The decode is tcpdump -q: addresses, ports and the TCP length are what it prints. */
    @Test
    void nanosecondHandshakeAgreesWithTcpdumpQuiet() throws IOException {
        Map<Integer, String> expected = tcpdumpLines(Files.readAllLines(EXPECTED.resolve("tcp-handshake-nano.out")));
        Map<Integer, String> shown = showLines(SharedDir.pcaps().resolve("linux-handshake-only-nanosec-sll.pcap"));
        assertEquals(expected.keySet(), shown.keySet());
        expected.forEach((frame, line) -> {
            Matcher q = QUIET.matcher(line);
            assertEquals(true, q.matches(), line);
            String show = shown.get(frame);
            assertEquals(q.group(1), show.substring(0, show.indexOf(':')), "frame " + frame);
            assertEquals(true, show.endsWith("length " + q.group(2)), "frame " + frame + ": " + show);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tcpsim.pcap.Samples#all")
    @ExtendWith(LiveTcpdump.class)
    void agreesWithLiveTcpdump(Path capture) throws IOException, InterruptedException {
        Map<Integer, String> shown = showLines(capture);
        assertFalse(shown.isEmpty(), "no TCP lines for " + capture);
        Map<Integer, String> expected = tcpdumpLines(runTcpdump(capture));
        expected.keySet().retainAll(shown.keySet());
        assertEquals(shown.keySet(), expected.keySet(), "frames tcpdump printed");
        compare(expected, shown, capture.getFileName().toString());
    }

    private static void assertAgrees(String capture, String decode) throws IOException {
        Map<Integer, String> expected = tcpdumpLines(Files.readAllLines(EXPECTED.resolve(decode)));
        Map<Integer, String> shown = showLines(SharedDir.pcaps().resolve(capture));
        assertEquals(expected.keySet(), shown.keySet(), "frames");
        compare(expected, shown, capture);
    }

    private static void compare(Map<Integer, String> expected, Map<Integer, String> shown, String what) {
        StringBuilder diff = new StringBuilder();
        expected.forEach((frame, line) -> {
            String want = upToLength(line);
            String got = upToLength(shown.get(frame));
            if (!want.equals(got)) {
                diff.append("\nframe ").append(frame).append("\n  tcpdump: ").append(want).append("\n  show:    ")
                        .append(got);
            }
        });
        if (!diff.isEmpty()) {
            fail(what + ": tcpsim show differs from tcpdump:" + diff);
        }
    }

    /** Frame number to the packet line of every conversation, as tcpsim show prints them. */
    static Map<Integer, String> showLines(Path capture) throws IOException {
        CaptureSummary summary = CaptureSummary.read(capture, null);
        Map<Integer, String> lines = new TreeMap<>();
        for (Conversation c : summary.conversations()) {
            for (String line : ShowText.packets(c).lines().toList()) {
                Matcher m = SHOW_LINE.matcher(line);
                if (m.matches()) {
                    lines.put(Integer.parseInt(m.group(1)), m.group(2));
                }
            }
        }
        return lines;
    }

    private static Map<Integer, String> tcpdumpLines(List<String> output) {
        Map<Integer, String> lines = new TreeMap<>();
        for (String line : output) {
            Matcher m = TCPDUMP_LINE.matcher(line);
            if (m.matches()) {
                lines.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return lines;
    }

    private static String upToLength(String line) {
        Matcher m = UP_TO_LENGTH.matcher(line);
        return m.find() ? m.group(1) : line;
    }

    private static List<String> runTcpdump(Path capture) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tcpdump", "-n", "-#", "-r", capture.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new ArrayList<>(out.lines().toList());
    }

    /** Runs only where tcpdump 4.99 is on the PATH; under CI=true its absence fails. */
    static final class LiveTcpdump implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String version = version();
            if (version.startsWith("tcpdump version 4.99")) {
                return ConditionEvaluationResult.enabled(version);
            } else if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but tcpdump 4.99 is missing: '" + version + "'");
            }
            return ConditionEvaluationResult.disabled("tcpdump 4.99 not on the PATH: '" + version + "'");
        }

        private static String version() {
            try {
                Process p = new ProcessBuilder("tcpdump", "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                return out.strip();
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }
}
