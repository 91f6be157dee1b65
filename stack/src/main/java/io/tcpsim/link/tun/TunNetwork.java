package io.tcpsim.link.tun;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.tun.NetInterface;
import io.tcpsim.tun.NetNamespace;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.tun.TunConfig;
import io.tcpsim.tun.TunDevice;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace that tcpsim created, with one TUN inside it: the kernel's address on the
 * TUN, tcpsim's address as its point-to-point peer. {@link #close} closes the TUN and deletes the
 * namespace (which would otherwise be kept alive by the open TUN descriptor).
 */
public final class TunNetwork implements AutoCloseable {

    /**
     * Where and how: namespace name, TUN name, the two IPv4 addresses (ints), the MTU, the two
     * IPv6 addresses ({@link IpAddress#ANY_IPV6} for both: IPv4 only, IPv6 disabled in the
     * namespace), whether the TUN offloads checksums and TCP segmentation ({@link TunLink}), how
     * many queues it has (more than one: {@code IFF_MULTI_QUEUE}, a descriptor per queue), and its
     * transmit queue length in packets (the kernel's side of the TUN: what waits for tcpsim's reads).
     */
    public record Config(String namespace, String tunName, int kernelAddress, int stackAddress, int mtu,
                         IpAddress kernelAddress6, IpAddress stackAddress6, boolean offloads, int queues,
                         int txQueueLength) {
        /** Linux TUN_READQ_SIZE: a TUN's txqueuelen unless set. */
        public static final int DEFAULT_TX_QUEUE_LENGTH = 500;

        public Config {
            if (queues < 1) {
                throw new IllegalArgumentException("a TUN needs at least one queue, not " + queues);
            }
            if (txQueueLength < 1) {
                throw new IllegalArgumentException("a TUN's transmit queue needs room for a packet, not " + txQueueLength);
            }
        }

        /** IPv4 only, no offloads, one queue. */
        public Config(String namespace, String tunName, int kernelAddress, int stackAddress, int mtu) {
            this(namespace, tunName, kernelAddress, stackAddress, mtu, IpAddress.ANY_IPV6, IpAddress.ANY_IPV6, false, 1,
                    DEFAULT_TX_QUEUE_LENGTH);
        }

        /** The same with IPv6 addresses for the kernel's end and tcpsim's. */
        public Config withIpv6(IpAddress kernel, IpAddress stack) {
            return new Config(namespace, tunName, kernelAddress, stackAddress, mtu, kernel, stack, offloads, queues,
                    txQueueLength);
        }

        /**
         * The same with the TUN opened with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD}
         * ({@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6}) when {@code on}.
         */
        public Config withOffloads(boolean on) {
            return new Config(namespace, tunName, kernelAddress, stackAddress, mtu, kernelAddress6, stackAddress6, on,
                    queues, txQueueLength);
        }

        /** The same with {@code count} queues: one TUN name opened {@code count} times with {@code IFF_MULTI_QUEUE}. */
        public Config withQueues(int count) {
            return new Config(namespace, tunName, kernelAddress, stackAddress, mtu, kernelAddress6, stackAddress6,
                    offloads, count, txQueueLength);
        }

        /**
         * The same with the TUN's transmit queue holding {@code packets}. The kernel's tun_net_xmit()
         * drops a packet when the queue is full rather than pushing back on the sender as a veth does,
         * so a reader that offers windows of megabytes, as Linux's autotuning does, needs a queue that
         * can hold them or its senders see loss whenever it falls behind.
         */
        public Config withTxQueueLength(int packets) {
            return new Config(namespace, tunName, kernelAddress, stackAddress, mtu, kernelAddress6, stackAddress6,
                    offloads, queues, packets);
        }

        public boolean hasIpv6() {
            return !stackAddress6.isUnspecified();
        }
    }

    private static final long ROUTE_WAIT_MILLIS = 3_000;
    private static final long ROUTE_POLL_MILLIS = 20;

    private final NetNamespace namespace;
    private final List<TunDevice> queues;
    private final List<LinkDevice> links = new ArrayList<>();

    private TunNetwork(NetNamespace namespace, List<TunDevice> queues, int mtu) throws IOException {
        this.namespace = namespace;
        this.queues = List.copyOf(queues);
        for (TunDevice queue : queues) {
            links.add(new TunLink(queue, mtu));
        }
    }

    /** Creates the namespace, opens the TUN (each of its queues) inside it and configures it; undoes all on failure. */
    public static TunNetwork create(Config config) throws IOException {
        NetNamespace namespace = NetNamespace.create(config.namespace());
        List<TunDevice> queues = new ArrayList<>();
        try {
            if (!config.hasIpv6()) {
                // IPv4 only: no router solicitations or MLD reports into the TUN.
                namespace.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
                namespace.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
            }
            openQueues(namespace, config, queues);
            String name = queues.getFirst().name();
            configure(NetInterface.in(namespace), name, config);
            if (config.hasIpv6()) {
                configureIpv6(namespace, name, config);
                awaitIpv6Route(namespace, config);
            }
            return new TunNetwork(namespace, queues, config.mtu());
        } catch (IOException | RuntimeException e) {
            queues.forEach(tun -> closeQuietly(tun, e));
            namespace.delete();
            throw e;
        }
    }

    /**
     * Opens the TUN once per queue into {@code opened}; with more than one, each {@code TUNSETIFF}
     * carries {@code IFF_MULTI_QUEUE} and attaches one more queue to the same name
     * ({@code tun_attach()}; {@code Documentation/networking/tuntap.rst} §3.3). One queue: a plain TUN.
     */
    private static void openQueues(NetNamespace namespace, Config config, List<TunDevice> opened) throws IOException {
        TunConfig tunConfig = TunConfig.named(config.tunName()).withNonBlocking(true)
                .withVnetHeader(config.offloads()).withMultiQueue(config.queues() > 1);
        for (int i = 0; i < config.queues(); i++) {
            TunConfig queue = i == 0 ? tunConfig : new TunConfig(opened.getFirst().name(), config.offloads(), true, true);
            TunDevice tun = namespace.call(() -> TunDevice.open(queue));
            opened.add(tun);
            if (config.offloads()) {
                tun.setOffload(TunLink.OFFLOADS);
            }
        }
    }

    private static void configure(NetInterface net, String ifName, Config config) throws IOException {
        net.setMtu(ifName, config.mtu());
        if (config.txQueueLength() != Config.DEFAULT_TX_QUEUE_LENGTH) {
            net.setTxQueueLength(ifName, config.txQueueLength());
        }
        net.addPeerAddress(ifName, Ipv4Address.format(config.kernelAddress()),
                Ipv4Address.format(config.stackAddress()) + "/32");
        net.up(ifName);
    }

    /**
     * {@code ip -6 addr add KERNEL peer STACK/128 dev IF nodad}: the point-to-point pair again, the
     * kernel's address usable at once (no duplicate address detection, which a TUN cannot answer).
     */
    private static void configureIpv6(NetNamespace namespace, String ifName, Config config) throws IOException {
        namespace.exec("ip", "-6", "addr", "add", config.kernelAddress6().toString(), "peer",
                config.stackAddress6() + "/128", "dev", ifName, "nodad").orThrow();
    }

    /**
     * Waits (at most {@link #ROUTE_WAIT_MILLIS}) until the kernel has the route to tcpsim's IPv6
     * address, which addrconf installs a moment after the address: a connect before it is ENETUNREACH.
     */
    private static void awaitIpv6Route(NetNamespace namespace, Config config) throws IOException {
        long deadline = System.nanoTime() + ROUTE_WAIT_MILLIS * 1_000_000L;
        while (!namespace.exec("ip", "-6", "route", "get", config.stackAddress6().toString()).success()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no IPv6 route to " + config.stackAddress6() + " after " + ROUTE_WAIT_MILLIS + " ms");
            }
            try {
                Thread.sleep(ROUTE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the IPv6 route", e);
            }
        }
    }

    private static void closeQuietly(TunDevice tun, Exception failure) {
        if (tun == null) {
            return;
        }
        try {
            tun.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The link the stack reads and writes (the first queue's). Closing it closes that queue. */
    public LinkDevice link() {
        return links.getFirst();
    }

    /** A link per queue, in queue order: what {@code tun_automq_select_queue()} numbers. */
    public List<LinkDevice> links() {
        return List.copyOf(links);
    }

    public String tunName() {
        return queues.getFirst().name();
    }

    public String namespace() {
        return namespace.name();
    }

    /**
     * Runs {@code task} on a platform thread inside the namespace: sockets it creates are the
     * kernel's sockets of this namespace (the other side of the TUN).
     */
    public <T, X extends Exception> T callInside(NetNamespace.Task<T, X> task) throws X, IOException {
        return namespace.call(task);
    }

    /** Runs a command inside the namespace and waits for it (at most 60 s). */
    public ProcessResult exec(String... command) throws IOException {
        return namespace.exec(command);
    }

    /** Closes every queue of the TUN and deletes the namespace, even when closing one fails. */
    @Override
    public void close() throws IOException {
        IOException failure = new IOException("closing the TUN " + tunName() + " failed");
        queues.forEach(tun -> closeQuietly(tun, failure));
        namespace.delete();
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    public static boolean namespaceExists(String name) throws IOException {
        return NetNamespace.list().contains(name);
    }

    public static void deleteNamespace(String name) throws IOException {
        NetNamespace.existing(name).delete();
    }

    /** A namespace name of the form {@code prefix-PID-N}, recognisable by {@link #reapStale}. */
    public static String uniqueNamespace(String prefix) {
        return NetNamespace.uniqueName(prefix);
    }

    /** Deletes namespaces named {@code prefix-PID-N} whose process is gone; returns how many. */
    public static int reapStale(String prefix) throws IOException {
        return NetNamespace.reapStale(prefix);
    }

    /** Namespaces that exist now. */
    public static List<String> namespaces() throws IOException {
        return NetNamespace.list();
    }
}
