package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.testsupport.RequiresTun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

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
        assertPositive(json, "1-byte request/response", "tcpsim");
        assertPositive(json, "1-byte request/response", "veth");
        assertPositive(json, "1-byte request/response", "sink");
        assertTrue(json.contains("\"case\":\"300 connections echoed once, held open\",\"unit\":\"conn\","
                + "\"tcpsim\":300.000"), "all 300 held connections echoed through tcpsim: " + json);
        assertTrue(json.contains("\"targets\":[\"kernel -> tcpsim"), json);
        assertFalse(TunNetwork.namespaces().stream().anyMatch(n -> n.startsWith(PREFIX + "-" + ProcessHandle.current().pid())),
                "every namespace removed");
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

    private static void assertPositive(String json, String what, String column) {
        Matcher m = Pattern.compile("\"case\":\"" + Pattern.quote(what) + "\"[^}]*\"" + column + "\":([0-9.]+)")
                .matcher(json);
        assertTrue(m.find(), what + " has a " + column + " figure: " + json);
        assertTrue(Double.parseDouble(m.group(1)) > 0, what + " " + column + " > 0: " + json);
    }
}
