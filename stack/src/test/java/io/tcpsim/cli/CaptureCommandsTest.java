package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcpsim show and tcpsim replay on the command line: output, files written, bad arguments. */
class CaptureCommandsTest {
    private static final Path WHOIS = SharedDir.pcaps().resolve("linux-client-whois-server-close.pcap");
    private static final Path TWO = SharedDir.pcaps().resolve("linux-lo-http-server-close-2conns.pcap");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void bothHaveHelpWithAnExample() {
        for (String command : new String[] {"show", "replay"}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(command, "--help"), command);
            assertTrue(out.toString().contains("Example: tcpsim " + command), out.toString());
        }
    }

    @Test
    void showListsTheConversationsThenOneInTcpdumpWordsWithStatesAndLadders() throws IOException {
        Path svg = dir.resolve("whois.svg");
        assertEquals(0, run("show", WHOIS.toString(), "--ladder", svg.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("11 frames, link type 1 (Ethernet), 11 TCP segments in 1 conversation"), text);
        assertTrue(text.contains("6 segments with bad TCP checksum: frame 1, 3, 4, 7, 9, 10"), text);
        assertTrue(text.contains("    10     0.301814  IP 10.0.2.15.44188 > 192.0.47.59.43: Flags [F.], seq 14, ack 235,"
                + " win 30016, length 0"), text);
        assertTrue(text.contains("client LAST_ACK, server TIME_WAIT  [bad TCP checksum]"), text);
        assertTrue(text.contains("LAST_ACK     F. seq 14 ack 235 win 30016 ---"), text);
        assertTrue(Files.readString(svg).startsWith("<?xml"), "the SVG is written");
    }

    @Test
    void showWithSeveralConversationsNeedsConvForALadder() {
        assertEquals(0, run("show", TWO.toString()));
        assertTrue(out.toString().contains("in 2 conversations"), out.toString());
        assertEquals(2, run("show", TWO.toString(), "--ladder", dir.resolve("x.svg").toString()));
        assertTrue(err.toString().contains("--ladder needs --conv N: the capture has 2 TCP conversations"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("show", TWO.toString(), "--conv", "3"));
        assertTrue(err.toString().contains("--conv: no conversation 3: the capture has 2 TCP conversations"),
                err.toString());
    }

    @Test
    void replayPrintsVerdictsTheTallyAndTheFirstDivergenceAndWritesItsFiles() throws IOException {
        Path html = dir.resolve("r.html");
        Path pcap = dir.resolve("r.pcap");
        // The captured whois server (not Linux) offered no options in its SYN-ACK; tcpsim offers Linux's.
        assertEquals(0, run("replay", WHOIS.toString(), "--as", "server", "--report", html.toString(), "--pcap",
                pcap.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("total: 4 matched, 1 differ"), text);
        assertTrue(text.contains("first divergence: Frame 2 at 0.116805 s"), text);
        assertTrue(text.contains("      8    0.238548  server  matched    F. seq 234 ack 14 win 65535"), text);
        String report = Files.readString(html);
        assertTrue(report.contains("<svg") && report.contains("4 matched, 1 differ"), "HTML report with its ladder");
        assertEquals(11, CaptureSummary.read(pcap, null).segments().size(), "what tcpsim received and sent");
    }

    @Test
    void replayAsJsonIsOneObjectWithTheCounts() {
        assertEquals(0, run("replay", WHOIS.toString(), "--as", "server", "--json"), err.toString());
        String json = out.toString().strip();
        assertTrue(json.startsWith("{\"file\":") && json.endsWith("]}]}"), json);
        assertTrue(json.contains("\"matched\":4,\"differ\":1,\"conversations\":[{\"number\":1"), json);
        assertTrue(json.contains("\"cause\":\"options\""), json);
    }

    @Test
    void replayArgumentsAreCheckedInOneLineWithStatus2() {
        assertEquals(2, run("replay", WHOIS.toString(), "--conv", "1", "--filter", "tcp"));
        assertTrue(err.toString().contains("--conv and --filter exclude each other"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("replay", WHOIS.toString(), "--as", "both"));
        assertTrue(err.toString().contains("expected server or client, got 'both'"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("replay", WHOIS.toString(), "--profile", "bsd"));
        assertTrue(err.toString().contains("unknown profile 'bsd' (linux or freebsd)"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(0, run("replay", WHOIS.toString(), "--profile", "freebsd", "--json"));
        assertTrue(out.toString().contains("\"profile\":\"freebsd\""), out.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("replay", dir.resolve("missing.pcap").toString()));
        assertTrue(err.toString().startsWith("tcpsim replay: cannot read "), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("replay", WHOIS.toString(), "--filter", "udp"));
        assertTrue(err.toString().contains("no TCP conversation"), err.toString());
    }
}
