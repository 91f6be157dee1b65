package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line: every command is listed, bad values give one line and a non-zero status. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"serve", "exec", "ss", "stats", "nc", "bufexp", "show", "replay", "soak", "help"}) {
            assertTrue(out.toString().contains("  " + command + " "), command + " missing from:\n" + out);
        }
    }

    @Test
    void badEchoPortIsOneLineNamingTheOptionAndStatus2() {
        assertEquals(2, run("serve", "--echo", "70000"));
        assertOneLine("--echo must be a port between 1 and 65535, got 70000");
    }

    @Test
    void badQueueCountIsOneLineNamingTheOptionAndStatus2() {
        assertEquals(2, run("serve", "--queues", "0"));
        assertOneLine("--queues must be between 1 and 16, got 0");
    }

    @Test
    void badMtuIsOneLineNamingTheOptionAndStatus2() {
        assertEquals(2, run("serve", "--mtu", "100"));
        assertOneLine("--mtu must be between 576 and 65535, got 100");
    }

    @Test
    void badAddressIsOneLineNamingTheOptionAndStatus2() {
        assertEquals(2, run("serve", "--addr", "10.0.0.300"));
        assertOneLine("--addr");
    }

    @Test
    void unknownServiceIsOneLineListingTheKnownOnesAndStatus2() {
        assertEquals(2, run("serve", "--services", "echo,gopher"));
        assertOneLine("--services: unknown service 'gopher' (known: echo, discard, daytime, chargen, http)");
    }

    @Test
    void servicePortOutOfRangeIsOneLineAndStatus2() {
        assertEquals(2, run("serve", "--services", "http:70000"));
        assertOneLine("--services: bad port in 'http:70000'");
    }

    @Test
    void twoServicesOnOnePortIsOneLineAndStatus2() {
        assertEquals(2, run("serve", "--services", "echo:80,http"));
        assertOneLine("--services: two services on one port");
    }

    @Test
    void unknownCommandIsOneLineAndStatus2() {
        assertEquals(2, run("frobnicate"));
        assertOneLine("frobnicate");
    }

    @Test
    void execInAMissingNamespaceSaysSoAndStatus1() {
        assertEquals(1, run("exec", "--ns", "tcpsim-no-such-namespace", "--", "true"));
        assertOneLine("network namespace 'tcpsim-no-such-namespace' does not exist");
    }

    @Test
    void everyNewCommandHasHelpWithAnExample() {
        for (String command : new String[] {"ss", "stats", "nc", "bufexp"}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(command, "--help"), command);
            assertTrue(out.toString().contains("Example: tcpsim " + command)
                    || out.toString().contains("Example: tcpsim exec"), command + " --help:\n" + out);
            assertTrue(out.toString().contains("--ns") || "bufexp".equals(command), command + " --help:\n" + out);
        }
    }

    @Test
    void ssStatsAndNcWithoutARunningServeSayWhichNamespaceAndHowToStartIt() {
        String expected = "no tcpsim serve is running on namespace 'tcpsim-no-such-namespace': "
                + "start one with 'tcpsim serve --ns tcpsim-no-such-namespace'";
        String ns = "--ns=tcpsim-no-such-namespace";
        String[][] commands = {{"ss", ns, "-a"}, {"stats", ns}, {"nc", ns, "10.0.0.1", "5000"}, {"nc", ns, "-l", "5000"}};
        for (String[] command : commands) {
            err.getBuffer().setLength(0);
            assertEquals(1, run(command), String.join(" ", command));
            assertOneLine("tcpsim " + command[0] + ": " + expected);
        }
    }

    @Test
    void badNamespaceNameIsOneLineAndStatus2() {
        assertEquals(2, run("ss", "--ns", "../etc"));
        assertOneLine("--ns: bad namespace name '../etc'");
    }

    @Test
    void serveRefusesANamespaceNameThatWouldLeaveRunTcpsim() {
        assertEquals(2, run("serve", "--ns", "../etc"));
        assertOneLine("--ns: bad namespace name '../etc'");
    }

    @Test
    void ncWithoutAPortOrWithABadOneIsOneLineAndStatus2() {
        assertEquals(2, run("nc", "10.0.0.1"));
        assertOneLine("nc takes ADDRESS PORT, got [10.0.0.1]");
        err.getBuffer().setLength(0);
        assertEquals(2, run("nc", "10.0.0.1", "70000"));
        assertOneLine("bad port '70000' (1 to 65535)");
        err.getBuffer().setLength(0);
        assertEquals(2, run("nc", "-l", "10.0.0.1", "5000"));
        assertOneLine("nc -l takes one PORT");
        err.getBuffer().setLength(0);
        assertEquals(2, run("nc", "10.0.0.300", "5000"));
        assertOneLine("bad address '10.0.0.300' (IPv4 or IPv6)");
    }

    @Test
    void bufexpOutOfRangeValuesAreOneLineAndStatus2() {
        assertEquals(2, run("bufexp", "--sndbuf", "100"));
        assertOneLine("--sndbuf must be between 1024 and 16777216, got 100");
        err.getBuffer().setLength(0);
        assertEquals(2, run("bufexp", "--writes", "0"));
        assertOneLine("--writes must be between 1 and 100000, got 0");
        err.getBuffer().setLength(0);
        assertEquals(2, run("bufexp", "--sleep-ms", "x"));
        assertOneLine("--sleep-ms");
    }

    @Test
    void bufexpPrintsOneLinePerWriteAndTheTotals() {
        assertEquals(0, run("bufexp", "--writes", "3", "--sleep-ms", "0", "--write-size", "1000"));
        String text = out.toString();
        assertTrue(text.contains("write    bytes  blocked_ms  SIOCOUTQ peer_window\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches(" +3 +1000 +[0-9.]+ +\\d+ +\\d+")), text);
        assertTrue(text.contains("3 writes, 3000 bytes written; the server read 3000 bytes"), text);
    }

    @Test
    void soakRefusesHoursOutsideItsRangeInOneLineAndRunsAShortSoakClean() {
        assertEquals(2, run("soak", "--hours", "0"));
        assertOneLine("--hours 0.0 is not in (0, 8760]");
        assertEquals(0, run("soak", "--hours", "0.25", "--seed", "3"));
        assertTrue(out.toString().contains("0 connections, 0 listeners, 0 buffer bytes"), out.toString());
        assertTrue(out.toString().endsWith("clean\n") && !out.toString().contains("NOT clean"), out.toString());
    }

    private void assertOneLine(String expected) {
        String text = err.toString();
        assertEquals(1, text.lines().count(), "one line, got:\n" + text);
        assertTrue(text.contains(expected), "expected '" + expected + "' in: " + text);
    }
}
