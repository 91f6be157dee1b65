package io.tcpsim.socket;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackLoop;
import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.time.SystemClock;
import io.tcpsim.tun.NetNamespace;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * tcpsim with its {@link SocketApi} on a real TUN in a namespace of its own: the kernel at
 * 10.0.0.1, tcpsim at 10.0.0.2. {@link #close} stops the loop and deletes the namespace, even
 * when a step fails.
 */
final class SocketStack implements AutoCloseable {
    static final String PREFIX = "tcpsim-s";
    static final int KERNEL = Ipv4Address.parse("10.0.0.1");
    static final int STACK = Ipv4Address.parse("10.0.0.2");

    private final TunNetwork network;
    private final NetStack stack;
    private final StackLoop loop;
    private final SocketApi api;
    private final SystemClock clock;
    private final SocketLimits limits;
    private final AtomicInteger runs = new AtomicInteger();

    private SocketStack(TunNetwork network, NetStack stack, StackLoop loop, SystemClock clock, SocketLimits limits) {
        this.network = network;
        this.stack = stack;
        this.loop = loop;
        this.clock = clock;
        this.limits = limits;
        this.api = new SocketApi(stack, clock, STACK, limits);
    }

    /** Starts with the namespace's own wmem_max / rmem_max, so buffer sizes compare with its kernel. */
    static SocketStack start(int maxFiles) throws IOException {
        return start(maxFiles, TcpConfig.linuxDefaults(1500));
    }

    /**
     * As {@link #start(int)} with tcpsim's TCP settings and commands run in the namespace first
     * (sysctls, routes: whatever makes the kernel's settings match tcpsim's).
     */
    static SocketStack start(int maxFiles, TcpConfig tcp, String[]... setup) throws IOException {
        TunNetwork.reapStale(PREFIX);
        TunNetwork network = TunNetwork.create(new TunNetwork.Config(TunNetwork.uniqueNamespace(PREFIX), "tun0",
                KERNEL, STACK, 1500));
        try {
            for (String[] command : setup) {
                network.exec(command).orThrow();
            }
            SocketLimits limits = new SocketLimits(maxFiles, sysctl(network, "net.core.wmem_max"),
                    sysctl(network, "net.core.rmem_max"));
            SystemClock clock = new SystemClock();
            NetStack stack = new NetStack(network.link(), new StackConfig(STACK, tcp, IsnGenerator.random()));
            StackLoop loop = StackLoop.start(stack, clock);
            return new SocketStack(network, stack, loop, clock, limits);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Another SocketApi over the same stack, with a descriptor table of its own of this size. */
    SocketApi api(int maxFiles) {
        return new SocketApi(stack, clock, STACK, limits.withMaxFiles(maxFiles));
    }

    private static int sysctl(TunNetwork network, String key) throws IOException {
        return Integer.parseInt(network.exec("sysctl", "-n", key).orThrow().stdout().strip());
    }

    SocketApi api() {
        return api;
    }

    String namespace() {
        return network.namespace();
    }

    /** Runs {@code action} on the stack thread and waits (at most 10 s) for its result. */
    <T> T onStack(Function<TcpLayer, T> action) throws Exception {
        return CompletableFuture.supplyAsync(() -> action.apply(stack.tcp()), stack).get(10, TimeUnit.SECONDS);
    }

    /** Runs a command inside the namespace and waits for it (at most 60 s). */
    ProcessResult exec(String... command) throws IOException {
        return network.exec(command);
    }

    /** Runs task on a platform thread inside the namespace, where libc's sockets are the kernel's. */
    /**
     * Runs {@code scenario} against the kernel (libc through FFM) and against tcpsim, inside the
     * namespace, and asserts the two traces of calls, results and errnos are the same. Each of the
     * two runs gets ports of its own, {@code portsPerRun} of them from {@code firstPort} on.
     */
    void sameAsLinux(DifferentialTest.Scenario scenario, int firstPort, int portsPerRun) throws Exception {
        List<String> linux = trace(new LinuxSockets(), KERNEL, firstPort + portsPerRun * runs.getAndIncrement(), scenario);
        List<String> tcpsim = trace(new TcpsimSockets(api), STACK, firstPort + portsPerRun * runs.getAndIncrement(),
                scenario);
        assertFalse(linux.isEmpty(), "the scenario made no call");
        assertEquals(String.join("\n", linux), String.join("\n", tcpsim));
    }

    private List<String> trace(Sockets sockets, int self, int base, DifferentialTest.Scenario scenario)
            throws Exception {
        List<String> trace = new ArrayList<>();
        return inside(() -> {
            Env env = new Env(sockets, self, KERNEL, base, trace);
            try {
                scenario.run(env);
            } finally {
                env.closeAll();
            }
            return trace;
        });
    }

    <T> T inside(NetNamespace.Task<T, Exception> task) throws Exception {
        return network.callInside(task);
    }

    @Override
    public void close() throws IOException {
        try {
            loop.close();
            stack.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            network.close();
        }
    }
}
