package io.tcpsim.cli;

import io.tcpsim.control.ControlClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The running {@code tcpsim serve} of a namespace, as the commands that ask it (ss, stats, nc) reach it. */
final class Instance {
    private Instance() {
    }

    /** ip-netns(8) names a file under /var/run/netns: no '/', not "." or "..". */
    static void checkName(CommandSpec spec, String namespace) {
        if (namespace.isEmpty() || namespace.contains("/") || namespace.equals(".") || namespace.equals("..")
                || namespace.contains("\0")) {
            throw new ParameterException(spec.commandLine(), "--ns: bad namespace name '" + namespace + "'");
        }
    }

    /**
     * Connects to the control socket of the serve on {@code namespace}.
     *
     * @throws IllegalStateException (one line, exit 1) when no serve runs there
     */
    static ControlClient connect(String namespace) throws IOException {
        Path socket = ServeLock.socketPath(namespace);
        try {
            return ControlClient.open(socket);
        } catch (ConnectException | NoSuchFileException e) {
            throw notRunning(namespace); // a stale socket refuses: its serve was killed
        } catch (SocketException e) {
            if (!Files.exists(socket)) {
                throw notRunning(namespace);
            }
            throw new IllegalStateException("control socket " + socket + ": " + e.getMessage());
        }
    }

    private static IllegalStateException notRunning(String namespace) {
        return new IllegalStateException("no tcpsim serve is running on namespace '" + namespace
                + "': start one with 'tcpsim serve" + ("tcpsim".equals(namespace) ? "" : " --ns " + namespace) + "'");
    }
}
