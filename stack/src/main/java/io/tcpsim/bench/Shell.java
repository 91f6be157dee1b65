package io.tcpsim.bench;

import java.io.IOException;
import java.util.List;

/** Runs a short configuration command ({@code ip ...}) and fails with its output when it fails. */
final class Shell {

    private Shell() {
    }

    static void run(String... command) throws IOException {
        output(command);
    }

    /** Runs {@code command}; returns its output, stripped. */
    static String output(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + List.of(command), e);
        }
    }
}
