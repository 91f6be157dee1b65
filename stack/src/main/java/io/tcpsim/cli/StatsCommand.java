package io.tcpsim.cli;

import io.tcpsim.control.ControlClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpsim stats [--ns NS] [-z]}: the running instance's counters, like {@code nstat -a}. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = {"Show the IP and TCP counters of a running 'tcpsim serve' like 'nstat -a' (Linux's names),",
                "then tcpsim's drop reasons. Counters at 0 are left out unless -z.",
                "Example: tcpsim stats"})
final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ns", defaultValue = "tcpsim", description = "Namespace of the serve (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-z", "--zeros"}, description = "Show counters at 0 too.")
    boolean zeros;

    @Override
    public Integer call() throws Exception {
        Instance.checkName(spec, namespace);
        try (ControlClient client = Instance.connect(namespace)) {
            spec.commandLine().getOut().print(client.ask(zeros ? "stats -z" : "stats", SsCommand.ANSWER_TIMEOUT));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ControlClient.Refused e) {
            throw new IllegalStateException(e.getMessage());
        }
    }
}
