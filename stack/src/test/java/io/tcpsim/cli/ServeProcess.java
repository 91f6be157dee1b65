package io.tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * tcpsim run as a user runs it, for process tests: a separate JVM on this test's classpath
 * ({@code tcpsim serve}, {@code tcpsim nc}), its output in a file read as it grows. The caller
 * stops what it started ({@link #stop}, {@link #kill}).
 */
final class ServeProcess {
    static final long START_TIMEOUT_SECONDS = 60;

    final Process process;
    private final Path output;
    private final Path errors;

    private ServeProcess(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
    }

    /** {@code tcpsim serve --ns NAMESPACE EXTRA...}, once it says it is serving. */
    static ServeProcess serve(Path dir, String namespace, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--ns", namespace));
        args.addAll(List.of(extra));
        ServeProcess serve = start(dir, null, args);
        serve.awaitOutput("tcpsim serving", START_TIMEOUT_SECONDS);
        return serve;
    }

    /** {@code tcpsim ARGS...} with {@code stdin} as its input (closed at once; null: no input). */
    static ServeProcess start(Path dir, byte[] stdin, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        Path output = Files.createTempFile(dir, "tcpsim", ".out");
        Path errors = Files.createTempFile(dir, "tcpsim", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
                .start();
        if (stdin != null) {
            process.getOutputStream().write(stdin);
        }
        process.getOutputStream().close();
        return new ServeProcess(process, output, errors);
    }

    /** Waits until the output holds {@code fragment}; fails showing everything printed. */
    void awaitOutput(String fragment, long seconds) {
        Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertTrue(printed().contains(fragment),
                        "expected '" + fragment + "' in the output of tcpsim:\n" + printed() + errors()));
    }

    /** What it wrote to stdout. */
    String printed() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** What it wrote to stderr. */
    String errors() throws IOException {
        return Files.readString(errors, StandardCharsets.UTF_8);
    }

    /** Waits for the exit (bounded); its status. */
    int exitStatus(long seconds) throws InterruptedException, IOException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "tcpsim did not exit; it printed:\n" + printed() + errors());
        return process.exitValue();
    }

    /** SIGTERM, so that a serve removes its namespace, lock and socket; SIGKILL if it does not end. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** SIGKILL: a serve leaves its namespace, lock and socket behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
