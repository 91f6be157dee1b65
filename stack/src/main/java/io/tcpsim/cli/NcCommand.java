package io.tcpsim.cli;

import io.tcpsim.control.ControlClient;
import io.tcpsim.wire.IpAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim nc [--ns NS] ADDRESS PORT} and {@code tcpsim nc [--ns NS] -l PORT}: netcat over the
 * running instance's stack. The instance makes (or accepts) the connection with its socket API and
 * relays it over its control socket to this process's stdin and stdout; the end of stdin is a
 * half-close (as nc -N), and the command ends once the peer has closed and stdin has ended, as
 * OpenBSD's nc does.
 */
@Command(
        name = "nc",
        mixinStandardHelpOptions = true,
        description = {"Netcat from a running 'tcpsim serve': connect from tcpsim's stack (or listen on it with -l)",
                "and relay stdin and stdout. End of stdin sends a FIN (as nc -N); like nc, it ends once the peer",
                "has closed and stdin has ended.",
                "Example: tcpsim exec -- nc -l 5000 &   tcpsim nc 10.0.0.1 5000",
                "         tcpsim nc -l 6000 &   echo hi | tcpsim exec -- nc -N 10.0.0.2 6000"})
final class NcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ns", defaultValue = "tcpsim", description = "Namespace of the serve (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "-l", description = "Listen on PORT and relay the first connection.")
    boolean listen;

    @Parameters(arity = "1..2", paramLabel = "ADDRESS PORT | PORT",
            description = "Where to connect (an IPv4 or IPv6 address and a port), or with -l the port to listen on.")
    List<String> args;

    private final InputStream in;
    private final OutputStream out;

    NcCommand() {
        this(System.in, System.out);
    }

    NcCommand(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Instance.checkName(spec, namespace);
        String request = request();
        try (ControlClient client = Instance.connect(namespace)) {
            client.relay(request, in, out);
            return 0;
        } catch (ControlClient.Refused e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    private String request() {
        if (listen) {
            if (args.size() != 1) {
                throw new ParameterException(spec.commandLine(), "nc -l takes one PORT, got " + args);
            }
            return "nc listen " + port(args.getFirst());
        } else if (args.size() != 2) {
            throw new ParameterException(spec.commandLine(), "nc takes ADDRESS PORT, got " + args);
        }
        try {
            return "nc connect " + IpAddress.parse(args.get(0)) + " " + port(args.get(1));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "bad address '" + args.get(0) + "' (IPv4 or IPv6)");
        }
    }

    private int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "bad port '" + text + "' (1 to 65535)");
    }
}
