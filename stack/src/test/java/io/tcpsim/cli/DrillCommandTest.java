package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpsim drill}: per-script lines, the closing count, the exit status, profile files. */
class DrillCommandTest {
    private static final String GOOD = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < . 17:20(3) ack 34 win 100\n"
            + "+0 > R 34:34(0) win 0\n";

    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
        return new String[] {Integer.toString(status), out.toString()};
    }

    @Test
    void passingFailingAndSkippedScriptsAreCounted() throws IOException {
        Files.writeString(dir.resolve("a-good.pkt"), GOOD);
        Files.writeString(dir.resolve("b-bad.pkt"), GOOD.replace("R 34:34", "R 35:35"));
        Files.writeString(dir.resolve("c-v5.pkt"), "--ip_version=ipv5\n" + GOOD);
        String[] r = run("drill", dir.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("PASS " + dir.resolve("a-good.pkt")), r[1]);
        assertTrue(r[1].contains("FAIL " + dir.resolve("b-bad.pkt") + "\n  " + dir.resolve("b-bad.pkt")
                + ":3: outbound packet differs: seq: expected 35 but got 34"), r[1]);
        assertTrue(r[1].contains("    expected: > R 35:35(0) win 0\n    actual:   > R 34:34(0) win 0"), r[1]);
        assertTrue(r[1].contains("SKIP " + dir.resolve("c-v5.pkt")), r[1]);
        assertTrue(r[1].endsWith("1 passed, 1 failed, 1 skipped\n"), r[1]);
    }

    @Test
    void exitStatusIsZeroWhenNothingFailed() throws IOException {
        Path script = Files.writeString(dir.resolve("good.pkt"), GOOD);
        String[] r = run("drill", "--trace", "--strict", "--pcap", dir.resolve("pcaps").toString(), script.toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("< . 17:20(3) ack 34 win 100"), r[1]);
        assertTrue(Files.size(dir.resolve("pcaps/good.pcap")) > 24, "a pcap with packets");
    }

    @Test
    void aProfileFileChoosesTheProfileUnlessTheCommandLineDoes() throws IOException {
        Files.writeString(dir.resolve("drill.profile"), "freebsd\n");
        Path script = Files.writeString(dir.resolve("rcvbuf.pkt"),
                "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 `sysctl -a`\n");
        assertEquals(io.tcpsim.tcp.Profile.FREEBSD, io.tcpsim.drill.ScriptFiles.profileOf(script));
        assertEquals("0", run("drill", "--profile", "linux", script.toString())[0]);
        assertEquals("2", run("drill", "--profile", "bsd", script.toString())[0]);
    }

    @Test
    void theToleranceOptionIsTheDefaultForScriptsThatSetNone() throws IOException {
        Path script = Files.writeString(dir.resolve("late.pkt"), """
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +.01  > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
                """);
        assertEquals("1", run("drill", script.toString())[0], "10 ms early is beyond the default 4 ms");
        assertEquals("0", run("drill", "--tolerance-usecs", "20000", script.toString())[0]);
        assertEquals("2", run("drill", "--tolerance-usecs", "-1", script.toString())[0]);
    }
}
