package io.tcpsim.cli;

import io.tcpsim.control.ControlClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpsim ss [--ns NS] [-l] [-a]}: the running instance's sockets, like {@code ss -tanoi}. */
@Command(
        name = "ss",
        mixinStandardHelpOptions = true,
        description = {"List the TCP sockets of a running 'tcpsim serve' like 'ss -tnoi': state, queues, addresses,",
                "timer, and the TCP_INFO line. Without -l or -a: connections (not LISTEN, TIME-WAIT, SYN-RECV).",
                "Example: tcpsim ss -a"})
final class SsCommand implements Callable<Integer> {
    /** How long ss waits for the instance's answer. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--ns", defaultValue = "tcpsim", description = "Namespace of the serve (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-l", "--listening"}, description = "Only listening sockets.")
    boolean listening;

    @Option(names = {"-a", "--all"}, description = "Every socket, listening, TIME-WAIT and SYN-RECV included.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        Instance.checkName(spec, namespace);
        String request = "ss" + (listening ? " -l" : "") + (all ? " -a" : "");
        try (ControlClient client = Instance.connect(namespace)) {
            spec.commandLine().getOut().print(client.ask(request, ANSWER_TIMEOUT));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ControlClient.Refused e) {
            throw new IllegalStateException(e.getMessage());
        }
    }
}
