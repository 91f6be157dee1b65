package io.tcpsim.tun;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs external commands (iproute2's {@code ip}) and collects their output. */
final class Commands {
    /** Longest an {@code ip} command may take before it is killed. */
    static final long TIMEOUT_SECONDS = 60;

    private Commands() {
    }

    /**
     * Runs {@code command} to completion, with stdin closed.
     *
     * @return its outcome, whatever the exit status
     * @throws IOException when it cannot start or does not finish within {@link #TIMEOUT_SECONDS}
     */
    static ProcessResult run(List<String> command) throws IOException {
        Process process = start(new ProcessBuilder(command));
        process.getOutputStream().close();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("`" + String.join(" ", command) + "` did not finish in "
                        + TIMEOUT_SECONDS + " s and was killed");
            }
            return new ProcessResult(command, process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for `" + String.join(" ", command) + "`");
        }
    }

    /** Like {@link #run}, but a non-zero exit status is a {@link CommandException}. */
    static ProcessResult check(List<String> command) throws IOException {
        return run(command).orThrow();
    }

    /** Starts {@code builder}, explaining what to install when the program is missing. */
    static Process start(ProcessBuilder builder) throws IOException {
        try {
            return builder.start();
        } catch (IOException e) {
            String program = builder.command().getFirst();
            throw new IOException("cannot run " + program + (program.equals("ip")
                    ? ": iproute2 is required (apt-get install iproute2)" : "") + ": " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return text;
    }
}
