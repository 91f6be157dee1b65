package io.tcpsim.cli;

import io.tcpsim.sim.GoodputGrid;
import io.tcpsim.sim.Scenario;
import io.tcpsim.sim.SimulationResult;
import io.tcpsim.sim.ThroughputModels;
import io.tcpsim.sim.TwoStackSimulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim simulate}: a bulk transfer between two tcpsim stacks through a seeded lossy
 * bottleneck on the virtual clock, or the whole goodput grid of docs/simulation.md. Needs no
 * TUN, no namespace and no root.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {"Move data between two tcpsim stacks through a simulated lossy path (virtual time).",
                "Example: tcpsim simulate --loss 1 --rtt 20 --cc reno --no-sack",
                "         tcpsim simulate --grid   (the goodput table of docs/simulation.md, in Markdown)"})
final class SimulateCommand implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "0",
            description = "Data segments lost, in percent, 0 to 99 (default: ${DEFAULT-VALUE}).")
    double lossPercent;

    @Option(names = "--rtt", paramLabel = "MS", defaultValue = "20",
            description = "Round-trip time of the empty path in ms (default: ${DEFAULT-VALUE}).")
    int rttMillis;

    @Option(names = "--cc", defaultValue = "cubic", description = "Congestion control: cubic or reno (default: ${DEFAULT-VALUE}).")
    String congestionControl;

    @Option(names = "--sack", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Both stacks offer SACK (default: on; --no-sack turns it off).")
    boolean sack;

    @Option(names = "--mib", defaultValue = "8", description = "MiB to move (default: ${DEFAULT-VALUE}).")
    int mebibytes;

    @Option(names = "--rate", paramLabel = "MBIT", defaultValue = "100",
            description = "Bottleneck rate in Mbit/s (default: ${DEFAULT-VALUE}).")
    long rateMbit;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the losses (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--grid", description = "Run every cell of the goodput grid and print the Markdown table.")
    boolean grid;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (mebibytes < 1) {
            throw new ParameterException(spec.commandLine(), "--mib " + mebibytes + " is not positive");
        }
        if (grid) {
            long start = System.nanoTime();
            List<SimulationResult> results = GoodputGrid.run(GoodputGrid.scenarios(mebibytes * MIB, seed));
            out.print(GoodputGrid.markdown(results));
            out.printf(Locale.ROOT, "%d cells, %d MiB each, seed %d, %.1f s of real time%n", results.size(), mebibytes,
                    seed, (System.nanoTime() - start) / 1e9);
            return results.stream().allMatch(SimulationResult::finished) ? 0 : 1;
        }
        Scenario s = scenario();
        long start = System.nanoTime();
        SimulationResult r = TwoStackSimulation.run(s, GoodputGrid.boundNanos(s));
        out.println(describe(r, (System.nanoTime() - start) / 1e9));
        return r.finished() ? 0 : 1;
    }

    private Scenario scenario() {
        try {
            return new Scenario(lossPercent / 100, rttMillis, congestionControl, sack, mebibytes * MIB,
                    rateMbit * 1_000_000L, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String describe(SimulationResult r, double realSeconds) {
        Scenario s = r.scenario();
        double mathis = ThroughputModels.mathisBps(Scenario.MTU - 40, s.rttMillis() / 1000.0, s.loss());
        String outcome = r.finished() ? "delivered" : "UNFINISHED: delivered";
        return String.format(Locale.ROOT,
                "%s%s, loss %.1f %%, RTT %d ms, %d Mbit/s: %s %d of %d bytes in %.2f s virtual (%.2f s real): "
                        + "%.2f Mbit/s goodput (Mathis model %s); %d retransmissions, %d timeouts, %d packets dropped",
                s.congestionControl(), s.sack() ? "+SACK" : "", s.loss() * 100, s.rttMillis(),
                s.bottleneckBps() / 1_000_000, outcome, r.delivered(), s.bytes(), r.transferNanos() / 1e9, realSeconds,
                r.goodputBps() / 1e6, Double.isInfinite(mathis) ? "-" : String.format(Locale.ROOT, "%.2f Mbit/s", mathis / 1e6),
                r.retransmissions(), r.timeouts(), r.dropped());
    }
}
