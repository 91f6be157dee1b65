package io.tcpsim.cli;

import io.tcpsim.bench.BenchReport;
import io.tcpsim.bench.Result;
import io.tcpsim.bench.Workloads;
import io.tcpsim.link.PcapWriter;
import io.tcpsim.link.tun.TunNetwork;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim bench WORKLOAD}: tcpsim against the kernel's TCP over veth and the raw TUN sink,
 * the same kernel-side load (Netty epoll) in the same run, as a table of figures and ratios.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Benchmark tcpsim beside the kernel over veth and a raw TUN sink (root: namespaces, TUN).",
                "WORKLOAD: throughput, rr, connect, concurrent [N] (default 10000), or all.",
                "Example: tcpsim bench throughput --seconds 3",
                "         tcpsim bench concurrent 100000 --json",
                "         tcpsim bench rr --pcap /tmp/bench.pcap",
                "         tcpsim bench throughput --seconds 2 --queues 2"})
final class BenchCommand implements Callable<Integer> {

    private static final List<String> WORKLOADS = List.of("throughput", "rr", "connect", "concurrent", "all");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "throughput, rr, connect, concurrent or all.")
    String workload;

    @Parameters(index = "1", arity = "0..1", paramLabel = "N", defaultValue = "10000",
            description = "Connections for concurrent (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
            description = "Measuring time of each case, after half of it (at least 0.5 s) as warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "Connections in flight at once for connect (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--json", description = "Print the results as JSON instead of a Markdown table.")
    boolean json;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Record tcpsim's packets on its TUN, every tcpsim run, to FILE (pcap, raw IP; large, and it slows tcpsim).")
    Path pcap;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "TUN queues of tcpsim's TUN (IFF_MULTI_QUEUE), 1 to 16, a stack thread each; "
                    + "the references are unchanged (default: ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--jfr", paramLabel = "FILE",
            description = {"Record the run with Java Flight Recorder to FILE: CPU samples and allocations (JDK's 'profile'"
                    + " settings); e.g. jfr view --width 200 allocation-by-site FILE, or jfr print --events"
                    + " jdk.ObjectAllocationSample FILE (tcpsim's stack thread is tcpsim-stack)."})
    Path jfr;

    @Option(names = "--ns-prefix", paramLabel = "PREFIX", defaultValue = "tcpsim-bench",
            description = "Start of the namespace names, PREFIX-PID-N (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        // Before Netty's first class loads: its informational warnings (no MAC address in a fresh namespace) are noise here.
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "error");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        TunNetwork.reapStale(prefix);
        try (PcapWriter writer = pcap == null ? null : PcapWriter.create(pcap);
             BenchRecording recording = jfr == null ? null : BenchRecording.start(jfr)) {
            Workloads workloads = new Workloads(new Workloads.Settings(
                    Duration.ofNanos((long) (seconds * 1e9)), prefix, progress, Optional.ofNullable(writer), queues));
            List<Result> results = run(workloads);
            out.print(json ? BenchReport.json(results) : BenchReport.markdown(results));
            out.flush();
        }
        if (jfr != null) {
            progress.printf("flight recording written to %s%n", jfr);
        }
        if (pcap != null) {
            progress.printf("tcpsim's packets recorded to %s%n", pcap);
            progress.flush();
        }
        return 0;
    }

    private List<Result> run(Workloads workloads) throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        boolean all = workload.equals("all");
        if (all || workload.equals("throughput")) {
            results.addAll(workloads.throughput());
        }
        if (all || workload.equals("rr")) {
            results.addAll(workloads.requestResponse());
        }
        if (all || workload.equals("connect")) {
            results.addAll(workloads.connect(concurrency));
        }
        if (all || workload.equals("concurrent")) {
            results.addAll(workloads.concurrent(connections));
        }
        return results;
    }

    private void validate() {
        if (!WORKLOADS.contains(workload)) {
            throw new ParameterException(spec.commandLine(), "unknown workload '" + workload + "': use one of "
                    + String.join(", ", WORKLOADS));
        }
        if (!(seconds > 0 && seconds <= 600)) {
            throw new ParameterException(spec.commandLine(), "--seconds " + seconds + " is not in (0, 600]");
        }
        if (connections < 1 || connections > 200_000) {
            throw new ParameterException(spec.commandLine(), "N " + connections + " is not in 1..200000");
        }
        if (queues < 1 || queues > 16) {
            throw new ParameterException(spec.commandLine(), "--queues " + queues + " is not in 1..16");
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw new ParameterException(spec.commandLine(), "--concurrency " + concurrency + " is not in 1..4096");
        }
    }
}
