package io.tcpsim.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The goodput grid of the data-transfer issue: loss 0, 0.1, 1, 5, 10 % by RTT 1, 20, 100 ms,
 * with and without SACK, with Reno and CUBIC, every cell one {@link TwoStackSimulation}; rendered
 * as a Markdown table beside the Mathis et al. model.
 */
public final class GoodputGrid {
    public static final double[] LOSSES = {0, 0.001, 0.01, 0.05, 0.10};
    public static final int[] RTTS_MS = {1, 20, 100};
    public static final String[] CONGESTION_CONTROLS = {"reno", "cubic"};
    public static final boolean[] SACK = {false, true};
    /** The path's rate: 100 Mbit/s. */
    public static final long BOTTLENECK_BPS = 100_000_000L;
    private static final int MSS = Scenario.MTU - 40;

    private GoodputGrid() {
    }

    /** Every cell's scenario, each moving {@code bytes}. */
    public static List<Scenario> scenarios(long bytes, long seed) {
        List<Scenario> cells = new ArrayList<>();
        for (double loss : LOSSES) {
            for (int rtt : RTTS_MS) {
                for (String cc : CONGESTION_CONTROLS) {
                    for (boolean sack : SACK) {
                        cells.add(new Scenario(loss, rtt, cc, sack, bytes, BOTTLENECK_BPS, seed));
                    }
                }
            }
        }
        return cells;
    }

    /**
     * The virtual time a cell may take: ten times what the slower of the bottleneck and the
     * Padhye et al. model (which counts timeouts) allows, plus 30 s for slow start and the close;
     * without SACK, plus one RTT for every segment a slow-start overshoot can lose (a bandwidth-delay
     * product and a queue), because NewReno repairs one hole per round trip (RFC 6582 §3.2).
     */
    public static long boundNanos(Scenario s) {
        double rtt = s.rttMillis() / 1000.0;
        double rate = Math.min(s.bottleneckBps(), ThroughputModels.padhyeBps(MSS, rtt, s.loss()));
        double seconds = 10 * s.bytes() * 8 / rate + 30;
        if (!s.sack()) {
            double overshoot = s.bottleneckBps() / 8.0 * rtt + s.queueBytes();
            seconds += overshoot / MSS * rtt;
        }
        return (long) (seconds * 1e9);
    }

    /** Runs every cell. */
    public static List<SimulationResult> run(List<Scenario> cells) throws IOException {
        List<SimulationResult> results = new ArrayList<>();
        for (Scenario s : cells) {
            results.add(TwoStackSimulation.run(s, boundNanos(s)));
        }
        return results;
    }

    /** The Markdown table: one row per loss and RTT, one column per congestion control and SACK. */
    public static String markdown(List<SimulationResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| loss | RTT | Reno | Reno+SACK | CUBIC | CUBIC+SACK | Mathis | Padhye | best/Mathis |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (double loss : LOSSES) {
            for (int rtt : RTTS_MS) {
                out.append(row(results, loss, rtt));
            }
        }
        return out.toString();
    }

    private static String row(List<SimulationResult> results, double loss, int rtt) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s %% | %d ms |", percent(loss), rtt));
        double best = 0;
        for (String cc : CONGESTION_CONTROLS) {
            for (boolean sack : SACK) {
                SimulationResult r = find(results, loss, rtt, cc, sack);
                best = Math.max(best, r.goodputBps());
                row.append(' ').append(cell(r)).append(" |");
            }
        }
        double mathis = ThroughputModels.mathisBps(MSS, rtt / 1000.0, loss);
        double padhye = ThroughputModels.padhyeBps(MSS, rtt / 1000.0, loss);
        row.append(' ').append(Double.isInfinite(mathis) ? "-" : mbps(mathis)).append(" |");
        row.append(' ').append(Double.isInfinite(padhye) ? "-" : mbps(padhye)).append(" |");
        row.append(' ').append(Double.isInfinite(mathis) ? "-" : String.format(Locale.ROOT, "%.2f", best / mathis))
                .append(" |\n");
        return row.toString();
    }

    private static String cell(SimulationResult r) {
        return r.finished() ? mbps(r.goodputBps()) : "**unfinished**";
    }

    private static SimulationResult find(List<SimulationResult> results, double loss, int rtt, String cc,
                                         boolean sack) {
        for (SimulationResult r : results) {
            Scenario s = r.scenario();
            if (s.loss() == loss && s.rttMillis() == rtt && s.congestionControl().equals(cc) && s.sack() == sack) {
                return r;
            }
        }
        throw new IllegalArgumentException("no result for loss " + loss + " rtt " + rtt + " " + cc + " sack " + sack);
    }

    private static String percent(double loss) {
        return String.format(Locale.ROOT, "%.1f", loss * 100).replaceAll("\\.0$", "");
    }

    private static String mbps(double bps) {
        return String.format(Locale.ROOT, "%.2f", bps / 1e6);
    }
}
