package io.tcpsim.bench;

import io.tcpsim.link.PcapWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workloads of {@code tcpsim bench}. Each creates tcpsim and both references in namespaces
 * of their own (prefix {@code prefix}), one after the other, runs the same kernel-side load
 * against each, and removes the namespaces, even on failure.
 */
public final class Workloads {

    /** Which peer a measurement is for. */
    enum Kind { TCPSIM, VETH, SINK }

    /**
     * What a workload needs to know: the measuring time, the namespace prefix, where to say what it
     * does, where to record tcpsim's packets on the TUN, if anywhere, and how many queues tcpsim's
     * TUN has (a stack thread each).
     */
    public record Settings(Duration measure, String prefix, PrintWriter progress, Optional<PcapWriter> pcap,
                           int queues) {

        /** Without a recording, one queue. */
        public Settings(Duration measure, String prefix, PrintWriter progress) {
            this(measure, prefix, progress, Optional.empty(), 1);
        }

        private static final Duration MIN_WARM_UP = Duration.ofMillis(500);

        /** Half the measuring time, at least 0.5 s: the first case of a run also warms up the JIT. */
        Duration warmUp() {
            Duration half = measure.dividedBy(2);
            return half.compareTo(MIN_WARM_UP) < 0 ? MIN_WARM_UP : half;
        }
    }

    /** The end of a throughput case's name on a TUN with offloads. */
    static final String OFFLOADS = ", offloads";
    /** The end of a throughput case's name whose tcpsim applications use the blocking socket API. */
    static final String SOCKET_API = ", socket API";
    private static final int[] MTUS = {1500, 9000};

    private final Settings settings;
    private int nextPort = 5001;

    public Workloads(Settings settings) {
        this.settings = settings;
    }

    /**
     * One flow and four, each way, at MTU 1500 and 9000; then at both MTUs tcpsim and the raw TUN
     * sink again on a TUN with offloads (IFF_VNET_HDR, checksum and TSO), beside the same veth
     * figures (veth always has its offloads); Mbit/s of data received. tcpsim's applications are
     * event-driven on its stack thread; at MTU 1500 one flow each way is measured again with
     * blocking socket-API applications ({@link #SOCKET_API} rows, beside the same references).
     */
    public List<Result> throughput() throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        Map<String, double[]> plain = new LinkedHashMap<>();
        for (int mtu : MTUS) {
            Map<String, double[]> figures = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                measureThroughput(figures, kind, mtu, false);
            }
            figures.forEach((what, f) -> {
                double[] ref = figures.get(strip(what, SOCKET_API));
                results.add(new Result("throughput", what, "Mbit/s", f[0], ref[1], ref[2]));
            });
            plain.putAll(figures);
        }
        for (int mtu : MTUS) {
            Map<String, double[]> offloaded = new LinkedHashMap<>();
            for (Kind kind : new Kind[] {Kind.TCPSIM, Kind.SINK}) {
                measureThroughput(offloaded, kind, mtu, true);
            }
            offloaded.forEach((what, f) -> {
                String base = strip(what, SOCKET_API);
                double[] veth = plain.get(strip(base, OFFLOADS));
                results.add(new Result("throughput", what, "Mbit/s", f[0], veth == null ? Double.NaN : veth[1],
                        offloaded.get(base)[2]));
            });
        }
        return results;
    }

    /** {@code what} without its {@code suffix}, when it ends so. */
    private static String strip(String what, String suffix) {
        return what.endsWith(suffix) ? what.substring(0, what.length() - suffix.length()) : what;
    }

    private void measureThroughput(Map<String, double[]> figures, Kind kind, int mtu, boolean offloads)
            throws IOException, InterruptedException {
        try (Peer peer = create(kind, mtu, offloads)) {
            for (int flows : new int[] {1, 4}) {
                String suffix = flows + (flows == 1 ? " flow" : " flows") + ", MTU " + mtu + (offloads ? OFFLOADS : "");
                put(figures, "kernel -> peer, " + suffix, kind, kernelToPeer(peer, flows, peer::discard));
                if (peer.sends()) {
                    put(figures, "peer -> kernel, " + suffix, kind, peerToKernel(peer, flows, peer::send));
                }
            }
            if (peer instanceof TcpsimPeer tcpsim && mtu == 1500) {
                String suffix = "1 flow, MTU " + mtu + (offloads ? OFFLOADS : "") + SOCKET_API;
                put(figures, "kernel -> peer, " + suffix, kind, kernelToPeer(peer, 1, tcpsim::discardThroughSockets));
                put(figures, "peer -> kernel, " + suffix, kind, peerToKernel(peer, 1, tcpsim::sendThroughSockets));
            }
        }
    }

    /** 1-byte request, 1-byte response on one connection: transactions per second, p50 and p99. */
    public List<Result> requestResponse() throws IOException {
        double[] tps = nan();
        double[] p50 = nan();
        double[] p99 = nan();
        for (Kind kind : Kind.values()) {
            try (Peer peer = create(kind, 1500)) {
                int port = port();
                try (Running echo = peer.echo(port)) {
                    peer.kernel().requestResponse(peer.address(), port, settings.warmUp());
                    Latencies l = peer.kernel().requestResponse(peer.address(), port, settings.measure());
                    tps[kind.ordinal()] = l.count() / seconds(settings.measure());
                    p50[kind.ordinal()] = l.percentileMicros(50);
                    p99[kind.ordinal()] = l.percentileMicros(99);
                    say(peer, "rr %.0f tps, p50 %.1f us, p99 %.1f us", tps[kind.ordinal()], p50[kind.ordinal()],
                            p99[kind.ordinal()]);
                }
            }
        }
        return List.of(new Result("rr", "1-byte request/response", "tps", tps[0], tps[1], tps[2]),
                new Result("rr", "latency p50", "us", p50[0], p50[1], p50[2]),
                new Result("rr", "latency p99", "us", p99[0], p99[1], p99[2]));
    }

    /**
     * Connections opened, one 1-byte request answered, closed by the kernel's side first, per
     * second; and the CPU time the generator's and the peer's threads spent per connection
     * meanwhile ({@link ThreadCpu}), the figure that stays comparable when other work shares the
     * cores.
     */
    public List<Result> connect(int concurrency) throws IOException {
        double[] rate = nan();
        double[] failed = nan();
        double[] cpu = nan();
        warmUpConnectGenerator(concurrency);
        for (Kind kind : Kind.values()) {
            try (Peer peer = create(kind, 1500)) {
                int port = port();
                try (Running echo = peer.echo(port)) {
                    peer.kernel().connectLoop(peer.address(), port, concurrency, settings.warmUp());
                    long cpuBefore = ThreadCpu.nanos();
                    NettyLoad.ConnectResult r = peer.kernel().connectLoop(peer.address(), port, concurrency,
                            settings.measure());
                    long cpuNanos = ThreadCpu.nanos() - cpuBefore;
                    rate[kind.ordinal()] = r.completed() / seconds(settings.measure());
                    failed[kind.ordinal()] = r.failed();
                    cpu[kind.ordinal()] = cpuNanos / 1e3 / Math.max(1, r.completed());
                    say(peer, "connect %.0f/s, %d failed, %.0f us of CPU per connection (%s)", rate[kind.ordinal()],
                            r.failed(), cpu[kind.ordinal()], peer.kernelCounters());
                }
            }
        }
        return List.of(new Result("connect", "open, 1-byte request/response, close; " + concurrency + " at once",
                        "conn/s", rate[0], rate[1], rate[2]),
                new Result("connect", "failed connects", "count", failed[0], failed[1], failed[2]),
                new Result("connect", "CPU per connection (generator and peer threads)", "us", cpu[0], cpu[1], cpu[2]));
    }

    /**
     * The connect loop run once, unmeasured, against the raw TUN sink and against tcpsim, the two
     * peers that run on this JVM: the generator's code and theirs is compiled before the first
     * peer's warm-up, so the peer measured first (tcpsim) does not run half interpreted, or beside
     * a generator still being compiled, while the others run compiled (the kernel over veth needs
     * no compiling). Measured first with only its own warm-up, tcpsim reached 6,811 and 8,462
     * connections per second at {@code --seconds 3} and 22,572 at {@code --seconds 8}.
     */
    private void warmUpConnectGenerator(int concurrency) throws IOException {
        for (Kind kind : new Kind[] {Kind.SINK, Kind.TCPSIM}) {
            try (Peer peer = create(kind, 1500)) {
                int port = port();
                try (Running echo = peer.echo(port)) {
                    peer.kernel().connectLoop(peer.address(), port, concurrency, settings.warmUp());
                }
            }
        }
    }

    /**
     * {@code count} connections held open to the echo service, each having echoed one byte, from
     * kernel-side processes of their own ({@link HoldProcess}, up to 18,000 connections each, each
     * from its own address): tcpsim's JVM then holds only tcpsim, and its heap per connection is
     * measured there. The raw TUN sink, which keeps nothing per connection, is the reference for
     * the time taken; the veth reference's memory is the kernel's, not measured here.
     */
    public List<Result> concurrent(int count) throws IOException {
        double[] echoed = nan();
        double[] failed = nan();
        double[] heap = nan();
        double[] seconds = nan();
        for (Kind kind : new Kind[] {Kind.SINK, Kind.TCPSIM}) {
            int k = kind.ordinal();
            try (Peer peer = create(kind, 1500)) {
                int port = port();
                try (Running echo = peer.echo(port)) {
                    int processes = (count + HoldProcess.MAX_CONNECTIONS - 1) / HoldProcess.MAX_CONNECTIONS;
                    List<String> sources = peer.kernelSources(processes);
                    long heapBefore = peer.heapInUse();
                    long start = System.nanoTime();
                    try (Holders holders = Holders.start(peer, sources, port, count)) {
                        seconds[k] = (System.nanoTime() - start) / 1e9;
                        echoed[k] = holders.echoed();
                        failed[k] = holders.failed();
                        heap[k] = (double) (peer.heapInUse() - heapBefore) / Math.max(1, holders.echoed());
                        say(peer, "%d connections from %d processes: %d echoed, %d failed, in %.1f s, heap %.0f B/conn",
                                count, processes, holders.echoed(), holders.failed(), seconds[k], heap[k]);
                    }
                }
            }
        }
        int t = Kind.TCPSIM.ordinal();
        int s = Kind.SINK.ordinal();
        return List.of(new Result("concurrent", count + " connections echoed once, held open", "conn",
                        echoed[t], Double.NaN, echoed[s]),
                new Result("concurrent", "connections that failed to open", "conn", failed[t], Double.NaN, failed[s]),
                new Result("concurrent", "time to open and echo all", "s", seconds[t], Double.NaN, seconds[s]),
                new Result("concurrent", "heap per connection held (the peer's JVM)", "B/conn",
                        heap[t], Double.NaN, heap[s]));
    }

    /** A server on a port, counting what it receives. */
    @FunctionalInterface
    private interface Server {
        Running start(int port) throws IOException;
    }

    /** Flows to the kernel's port, counting what they send. */
    @FunctionalInterface
    private interface Senders {
        Running start(int port, int flows) throws IOException;
    }

    private double kernelToPeer(Peer peer, int flows, Server discard) throws IOException, InterruptedException {
        int port = port();
        try (Running received = discard.start(port);
                Running sender = peer.kernel().send(peer.address(), port, flows)) {
            Rate rate = rate(peer, received);
            say(peer, "kernel -> peer, %d flow(s): %.0f Mbit/s (%s%s)", flows, rate.mbit(), peer.kernelCounters(),
                    rate.allocation());
            return rate.mbit();
        }
    }

    private double peerToKernel(Peer peer, int flows, Senders send) throws IOException, InterruptedException {
        int port = port();
        try (Running received = peer.kernel().discard(peer.kernelAddress(), port);
                Running sender = send.start(port, flows)) {
            Rate rate = rate(peer, received);
            say(peer, "peer -> kernel, %d flow(s): %.0f Mbit/s (%s%s)", flows, rate.mbit(), peer.kernelCounters(),
                    rate.allocation());
            return rate.mbit();
        }
    }

    /**
     * A throughput measured, and what the peer's stack threads allocated meanwhile per 64 KiB
     * moved (NaN for a peer without them).
     */
    private record Rate(double mbit, double allocatedPer64KiB) {
        String allocation() {
            return Double.isNaN(allocatedPer64KiB) ? ""
                    : String.format("; stack threads allocated %.1f B per 64 KiB", allocatedPer64KiB);
        }
    }

    /** Mbit/s counted by {@code received} over the measuring time, after the warm-up. */
    private Rate rate(Peer peer, Running received) throws InterruptedException {
        Thread.sleep(settings.warmUp());
        long bytes0 = received.count();
        long allocated0 = peer.stackAllocatedBytes();
        long t0 = System.nanoTime();
        Thread.sleep(settings.measure());
        long bytes1 = received.count();
        long allocated1 = peer.stackAllocatedBytes();
        long t1 = System.nanoTime();
        double perChunk = allocated0 < 0 || allocated1 < 0 ? Double.NaN
                : (allocated1 - allocated0) * 65_536.0 / Math.max(1, bytes1 - bytes0);
        return new Rate((bytes1 - bytes0) * 8 / ((t1 - t0) / 1e9) / 1e6, perChunk);
    }

    private Peer create(Kind kind, int mtu) throws IOException {
        return create(kind, mtu, false);
    }

    private Peer create(Kind kind, int mtu, boolean offloads) throws IOException {
        return switch (kind) {
            case TCPSIM -> TcpsimPeer.create(settings.prefix(), mtu, offloads, settings.queues(), settings.pcap());
            case VETH -> VethPeer.create(settings.prefix(), mtu);
            case SINK -> SinkPeer.create(settings.prefix(), mtu, offloads);
        };
    }

    private int port() {
        return nextPort++;
    }

    private void say(Peer peer, String format, Object... args) {
        settings.progress().printf("  %-14s " + format + "%n", prepend(peer.name(), args));
        settings.progress().flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void put(Map<String, double[]> figures, String what, Kind kind, double value) {
        figures.computeIfAbsent(what, w -> nan())[kind.ordinal()] = value;
    }

    private static double[] nan() {
        return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
