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
        for (String command : new String[] {"serve", "exec", "help"}) {
            assertTrue(out.toString().contains("  " + command + " "), command + " missing from:\n" + out);
        }
    }

    @Test
    void badEchoPortIsOneLineNamingTheOptionAndStatus2() {
        assertEquals(2, run("serve", "--echo", "70000"));
        assertOneLine("--echo must be a port between 1 and 65535, got 70000");
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

    private void assertOneLine(String expected) {
        String text = err.toString();
        assertEquals(1, text.lines().count(), "one line, got:\n" + text);
        assertTrue(text.contains(expected), "expected '" + expected + "' in: " + text);
    }
}
