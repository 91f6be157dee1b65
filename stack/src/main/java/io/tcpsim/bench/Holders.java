package io.tcpsim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link HoldProcess}es of one {@code concurrent N} run, in the kernel side's namespace; closing ends them. */
final class Holders implements AutoCloseable {

    private static final long SETUP_MILLIS = 60_000;

    private final List<Process> processes;
    private long echoed;
    private long failed;

    private Holders(List<Process> processes) {
        this.processes = processes;
    }

    /** Starts one process per source address, {@code count} connections in all, and waits until each has said what it holds. */
    static Holders start(Peer peer, List<String> sources, int port, int count) throws IOException {
        List<Process> started = new ArrayList<>();
        Holders holders = new Holders(started);
        try {
            int left = count;
            for (int i = 0; i < sources.size(); i++) {
                int share = left / (sources.size() - i);
                left -= share;
                started.add(new ProcessBuilder(command(peer.kernelNamespace(), sources.get(i), peer.address(), port, share))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            long deadline = System.currentTimeMillis() + SETUP_MILLIS + count;
            for (Process p : started) {
                holders.read(p, deadline);
            }
            return holders;
        } catch (IOException | RuntimeException e) {
            holders.close();
            throw e;
        }
    }

    private static List<String> command(String namespace, String source, String address, int port, int count) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of("ip", "netns", "exec", namespace, java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                HoldProcess.class.getName(), source, address, Integer.toString(port), Integer.toString(count));
    }

    /** Reads the process's "held ECHOED FAILED" line. */
    private void read(Process p, long deadline) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                line.complete(in.readLine());
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        });
        String said;
        try {
            said = line.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a load process", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("a load process did not say what it holds: " + e, e);
        }
        String[] fields = said == null ? new String[0] : said.split(" ");
        if (fields.length != 3 || !fields[0].equals("held")) {
            throw new IOException("a load process said '" + said + "' (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
        }
        echoed += Long.parseLong(fields[1]);
        failed += Long.parseLong(fields[2]);
    }

    long echoed() {
        return echoed;
    }

    long failed() {
        return failed;
    }

    /** Closes the processes' standard input (they close their connections and end); waits, then kills what is left. */
    @Override
    public void close() {
        for (Process p : processes) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
