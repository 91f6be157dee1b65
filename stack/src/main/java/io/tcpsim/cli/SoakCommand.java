package io.tcpsim.cli;

import io.tcpsim.sim.Soak;
import io.tcpsim.sim.SoakResult;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim soak}: hours of connection churn between two tcpsim stacks through loss,
 * duplication and reordering, in virtual time ({@link Soak}); exits 1 unless every session
 * completed with every byte verified and nothing was left behind. Needs no TUN and no root.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {"Soak two tcpsim stacks for hours of virtual time: connect, transfer, keepalive, close, "
                + "TIME_WAIT, through loss, duplication and reordering; then check nothing leaked.",
                "Example: tcpsim soak --hours 24"})
final class SoakCommand implements Callable<Integer> {
    private static final double MAX_HOURS = 24 * 365;

    @Spec
    CommandSpec spec;

    @Option(names = "--hours", defaultValue = "24", description = "Virtual hours of sessions (default: ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the sessions and faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (!(hours > 0 && hours <= MAX_HOURS)) {
            throw new ParameterException(spec.commandLine(), "--hours " + hours + " is not in (0, " + (int) MAX_HOURS + "]");
        }
        SoakResult r = Soak.run(hours, seed);
        spec.commandLine().getOut().print(r.report());
        return r.clean() ? 0 : 1;
    }
}
