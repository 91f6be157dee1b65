package io.tcpsim.cli;

import io.tcpsim.link.tun.TunNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tcpsim exec [--ns NAME] -- CMD...}: runs a command inside tcpsim's namespace. */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {"Run a command inside the network namespace of a running 'tcpsim serve'.",
                "Example: tcpsim exec -- ping -c 3 10.0.0.2"})
final class ExecCommand implements Callable<Integer> {

    @Option(names = "--ns", defaultValue = "tcpsim", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (!TunNetwork.namespaceExists(namespace)) {
            throw new IllegalStateException("network namespace '" + namespace
                    + "' does not exist: start 'tcpsim serve" + ("tcpsim".equals(namespace) ? "" : " --ns " + namespace)
                    + "' first");
        }
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command);
        return new ProcessBuilder(argv).inheritIO().start().waitFor();
    }
}
