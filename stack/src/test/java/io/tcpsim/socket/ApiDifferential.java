package io.tcpsim.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tcpsim.tcp.TcpConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The namespace and runner of the socket-API differential classes ({@link ApiDifferentialTest},
 * {@link Ipv6DifferentialTest}, {@link EpollDifferentialTest}): as {@link DifferentialTest}, every
 * scenario runs against the kernel and against tcpsim and the traces must be equal. The kernel of
 * the namespace is set to what tcpsim's config says, so that defaults compare:
 * <ul>
 * <li>lo's MTU 1500, so that the kernel's own connections (10.0.0.1 to itself) use MSS 1460 as
 *     tcpsim's through the TUN;</li>
 * <li>tcp_rmem's Linux default (its maximum gives window scale 7, tcpsim's), whatever the host has;</li>
 * <li>congestion control reno on both (a namespace may only pick an unrestricted algorithm);</li>
 * <li>tcp_syn_retries 1 on both, so that ETIMEDOUT comes in seconds;</li>
 * <li>forwarding on, so that the kernel answers tcpsim's SYNs to unreachable places with ICMP:
 *     10.0.6.0/24 is an unreachable route (EHOSTUNREACH), 10.0.7.0/24 has no route
 *     (ENETUNREACH), 10.0.5.0/24 leads into the TUN where nobody answers (a black hole).</li>
 * </ul>
 */
final class ApiDifferential implements AutoCloseable {
    static final int BLACK_HOLE = 0x0A000501;
    static final int HOST_UNREACHABLE = 0x0A000601;
    static final int NET_UNREACHABLE = 0x0A000701;

    @FunctionalInterface
    interface Scenario {
        void run(Env env) throws Exception;
    }

    private final SocketStack stack;
    private final AtomicInteger runs = new AtomicInteger();
    private final int firstPort;

    private ApiDifferential(SocketStack stack, int firstPort) {
        this.stack = stack;
        this.firstPort = firstPort;
    }

    static ApiDifferential start(int firstPort) throws IOException {
        TcpConfig tcp = TcpConfig.linuxDefaults(1500).withCongestionControl("reno").withSynRetries(1);
        return new ApiDifferential(SocketStack.start(SocketLimits.LINUX_DEFAULTS.maxFiles(), tcp,
                new String[] {"ip", "link", "set", "lo", "mtu", "1500"},
                new String[] {"sysctl", "-q", "-w", "net.ipv4.tcp_rmem=4096 131072 6291456"},
                new String[] {"sysctl", "-q", "-w", "net.ipv4.tcp_congestion_control=reno"},
                new String[] {"sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1"},
                new String[] {"sysctl", "-q", "-w", "net.ipv4.ip_forward=1"},
                new String[] {"sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0"},
                new String[] {"sysctl", "-q", "-w", "net.ipv4.conf.tun0.send_redirects=0"},
                new String[] {"ip", "route", "add", "unreachable", "10.0.6.0/24"},
                new String[] {"ip", "route", "add", "10.0.5.0/24", "dev", "tun0"}), firstPort);
    }

    SocketStack stack() {
        return stack;
    }

    void sameAsLinux(Scenario scenario) throws Exception {
        compare(run(new LinuxSockets(), SocketStack.KERNEL, scenario),
                run(new TcpsimSockets(stack.api()), SocketStack.STACK, scenario));
    }

    /** As {@link #sameAsLinux}, the kernel's side without CAP_NET_RAW (tcpsim has no privileges). */
    void sameAsUnprivilegedLinux(Scenario scenario) throws Exception {
        LinuxSockets linux = new LinuxSockets();
        List<String> kernel = run(linux, SocketStack.KERNEL, e -> linux.withoutRawCapability(() -> {
            try {
                scenario.run(e);
                return null;
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }));
        compare(kernel, run(new TcpsimSockets(stack.api()), SocketStack.STACK, scenario));
    }

    /**
     * Both traces, the kernel's first, of a scenario whose two runs differ (the kernel's side gets
     * a setup of its own) through the given tcpsim API. tcpsim's run goes first, so that the
     * kernel's finds every class of the scenario loaded.
     */
    List<List<String>> traces(Scenario linux, Scenario tcpsim, SocketApi api) throws Exception {
        List<String> second = run(new TcpsimSockets(api), SocketStack.STACK, tcpsim);
        return List.of(run(new LinuxSockets(), SocketStack.KERNEL, linux), second);
    }

    static void compare(List<String> linux, List<String> tcpsim) {
        assertFalse(linux.isEmpty(), "the scenario made no call");
        assertEquals(String.join("\n", linux), String.join("\n", tcpsim));
    }

    private List<String> run(Sockets api, int self, Scenario scenario) throws Exception {
        List<String> trace = new ArrayList<>();
        int base = firstPort + 50 * runs.getAndIncrement();
        return stack.inside(() -> {
            Env env = new Env(api, self, SocketStack.KERNEL, base, trace);
            try {
                scenario.run(env);
            } finally {
                env.closeAll();
            }
            return trace;
        });
    }

    @Override
    public void close() throws IOException {
        stack.close();
    }
}
