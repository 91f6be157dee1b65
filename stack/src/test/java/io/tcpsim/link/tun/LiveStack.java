package io.tcpsim.link.tun;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackLoop;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PcapTap;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.time.Clock;
import io.tcpsim.time.SystemClock;
import io.tcpsim.tun.NetNamespace;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A running stack on a real TUN in a namespace of its own, for tests: the kernel at 10.0.0.1,
 * tcpsim at 10.0.0.2. {@link #close} stops the loop and deletes the namespace even when a step fails.
 */
final class LiveStack implements AutoCloseable {

    static final String NAMESPACE_PREFIX = "tcpsim-t";
    static final String KERNEL = "10.0.0.1";
    static final String STACK = "10.0.0.2";
    /** The IPv6 pair of {@link #startWithIpv6}: serve's defaults. */
    static final String KERNEL6 = "fd00::1";
    static final String STACK6 = "fd00::2";
    private static final Clock CLOCK = new SystemClock();

    private final TunNetwork network;
    private final NetStack stack;
    private final StackLoop loop;
    private boolean closed;

    private LiveStack(TunNetwork network, NetStack stack, StackLoop loop) {
        this.network = network;
        this.stack = stack;
        this.loop = loop;
    }

    /** Starts a stack with Linux's defaults at MTU 1500 in a fresh namespace; {@code pcap} may be null. */
    static LiveStack start(Path pcap) throws IOException {
        return start(pcap, 1500, UnaryOperator.identity());
    }

    /** Starts a stack in a fresh namespace with the TCP settings {@code tcp} makes of Linux's defaults. */
    static LiveStack start(Path pcap, int mtu, UnaryOperator<TcpConfig> tcp) throws IOException {
        return start(pcap, mtu, tcp, UnaryOperator.identity());
    }

    /**
     * Starts a stack whose link is what {@code between} makes of the TUN link (a {@code FaultInjector},
     * say): it sits between the stack and the wire, so a pcap records the wire's side of it.
     */
    static LiveStack start(Path pcap, int mtu, UnaryOperator<TcpConfig> tcp, UnaryOperator<LinkDevice> between)
            throws IOException {
        return start(NAMESPACE_PREFIX, pcap, mtu, tcp, between, false, false);
    }

    /** As {@link #start(Path, int, UnaryOperator, UnaryOperator)}, in a namespace named {@code prefix-PID-N}. */
    static LiveStack start(String prefix, Path pcap, int mtu, UnaryOperator<TcpConfig> tcp,
                           UnaryOperator<LinkDevice> between) throws IOException {
        return start(prefix, pcap, mtu, tcp, between, false, false);
    }

    /** A stack with IPv6 too: the kernel at fd00::1 (nodad) and tcpsim at fd00::2 besides the IPv4 pair. */
    static LiveStack startWithIpv6(Path pcap) throws IOException {
        return start(NAMESPACE_PREFIX, pcap, 1500, UnaryOperator.identity(), UnaryOperator.identity(), true, false);
    }

    /** IPv4 and IPv6 as {@link #startWithIpv6}, on a TUN with offloads (vnet header, checksum, TSO). */
    static LiveStack startWithOffloads(Path pcap) throws IOException {
        return start(NAMESPACE_PREFIX, pcap, 1500, UnaryOperator.identity(), UnaryOperator.identity(), true, true);
    }

    private static LiveStack start(String prefix, Path pcap, int mtu, UnaryOperator<TcpConfig> tcp,
                                   UnaryOperator<LinkDevice> between, boolean ipv6, boolean offloads)
            throws IOException {
        TunNetwork.reapStale(prefix);
        TunNetwork.Config networkConfig = new TunNetwork.Config(TunNetwork.uniqueNamespace(prefix),
                "tun0", Ipv4Address.parse(KERNEL), Ipv4Address.parse(STACK), mtu).withOffloads(offloads);
        TunNetwork network = TunNetwork.create(ipv6
                ? networkConfig.withIpv6(IpAddress.parse(KERNEL6), IpAddress.parse(STACK6)) : networkConfig);
        try {
            LinkDevice wire = pcap == null ? network.link() : PcapTap.open(network.link(), CLOCK, pcap);
            LinkDevice link = between.apply(wire);
            StackConfig config = new StackConfig(Ipv4Address.parse(STACK), tcp.apply(TcpConfig.linuxDefaults(mtu)),
                    IsnGenerator.random());
            if (ipv6) {
                config = config.withAddress6(IpAddress.parse(STACK6));
            }
            NetStack stack = new NetStack(link, config);
            return new LiveStack(network, stack, StackLoop.start(stack, CLOCK));
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    String namespace() {
        return network.namespace();
    }

    NetStack stack() {
        return stack;
    }

    /** The TUN's own link, under any tap or injector. */
    TunLink tunLink() {
        return (TunLink) network.link();
    }

    ProcessResult exec(String... command) throws IOException {
        return network.exec(command);
    }

    /** A process builder for {@code command} inside the namespace, for a process the test starts and ends itself. */
    ProcessBuilder command(String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace()));
        line.addAll(List.of(command));
        return new ProcessBuilder(line);
    }

    /** Runs {@code task} inside the namespace, where its sockets are the kernel's. */
    <T> T kernel(NetNamespace.Task<T, Exception> task) throws Exception {
        return network.callInside(task);
    }

    /** Runs {@code action} on the stack thread with the current time and waits for its result. */
    <T> T onStack(BiFunction<TcpLayer, Long, T> action) throws Exception {
        return CompletableFuture.supplyAsync(() -> action.apply(stack.tcp(), CLOCK.nanoTime()), stack)
                .get(10, TimeUnit.SECONDS);
    }

    static Clock clock() {
        return CLOCK;
    }

    /** Stops the stack and deletes the namespace; a second call does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
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
