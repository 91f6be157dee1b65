package io.tcpsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table, the JSON and the met/missed verdicts of {@code tcpsim bench}. */
class BenchReportTest {

    private static final List<Result> RESULTS = List.of(
            new Result("throughput", "kernel -> peer, 1 flow, MTU 1500", "Mbit/s", 600, 10_000, 1000),
            new Result("throughput", "peer -> kernel, 1 flow, MTU 1500", "Mbit/s", 400, 10_000, Double.NaN),
            new Result("connect", "open, 1-byte request/response, close; 32 at once", "conn/s", 25_000, 30_000, 40_000));

    @Test
    void targetsSayMetOrMissedWithTheFigure() {
        assertEquals(List.of(
                "kernel -> tcpsim, 1 flow, MTU 1500, no offloads >= 0.5 of the raw TUN sink: met (0.60)",
                "tcpsim -> kernel, 1 flow, MTU 1500 >= 0.5 of the kernel over veth (offloads on): MISSED (0.04)",
                "connect >= 20,000 connections per second: met (25000 conn/s)"), BenchReport.targets(RESULTS));
    }

    @Test
    void tableHasRatiosAndDashesWhereAReferenceDoesNotApply() {
        String table = BenchReport.markdown(RESULTS);
        assertTrue(table.contains("| throughput | kernel -> peer, 1 flow, MTU 1500 | Mbit/s | 600 | 10,000 | 1,000 | 0.06 | 0.60 |"),
                table);
        assertTrue(table.contains("| throughput | peer -> kernel, 1 flow, MTU 1500 | Mbit/s | 400 | 10,000 | - | 0.04 | - |"),
                table);
    }

    @Test
    void jsonWritesNullForWhatWasNotMeasured() {
        String json = BenchReport.json(RESULTS);
        assertTrue(json.contains("\"case\":\"peer -> kernel, 1 flow, MTU 1500\",\"unit\":\"Mbit/s\",\"tcpsim\":400.000,"
                + "\"veth\":10000.000,\"sink\":null,\"ofVeth\":0.040,\"ofSink\":null}"), json);
    }
}
