package io.tcpsim.bench;

import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.tun.NetNamespace;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace with a TUN (kernel 10.0.0.1, the peer 10.0.0.2) and the kernel's load generators
 * inside it: what tcpsim and the raw TUN sink both sit behind.
 */
final class TunSide implements AutoCloseable {

    static final String KERNEL = "10.0.0.1";
    static final String PEER = "10.0.0.2";
    /**
     * tun0's transmit queue for tcpsim and the sink alike, in packets: four flows each offered the
     * window of Linux's largest autotuned receive buffer (tcp_rmem[2], 6 MiB, half of it window:
     * about 2,000 segments at MTU 1500). With the kernel's 500 the kernel's senders overran the queue
     * whenever tcpsim fell behind, and tun_net_xmit() drops rather than pushes back (4 flows at
     * MTU 1500: 36,000 drops and 727 Mbit/s, against none and 3,170 Mbit/s with 8,000).
     */
    static final int TX_QUEUE_PACKETS = 8192;

    private final TunNetwork network;
    private final NettyLoad kernel;

    private TunSide(TunNetwork network, NettyLoad kernel) {
        this.network = network;
        this.kernel = kernel;
    }

    static TunSide create(String prefix, int mtu, boolean offloads) throws IOException {
        return create(prefix, mtu, offloads, 1);
    }

    /** The same on a TUN of {@code queues} queues (IFF_MULTI_QUEUE when more than one). */
    static TunSide create(String prefix, int mtu, boolean offloads, int queues) throws IOException {
        TunNetwork network = TunNetwork.create(new TunNetwork.Config(TunNetwork.uniqueNamespace(prefix), "tun0",
                Ipv4Address.parse(KERNEL), Ipv4Address.parse(PEER), mtu).withOffloads(offloads).withQueues(queues)
                .withTxQueueLength(TX_QUEUE_PACKETS));
        try {
            NetNamespace namespace = NetNamespace.existing(network.namespace());
            KernelTuning.apply(namespace);
            return new TunSide(network, new NettyLoad(namespace.threadFactory("tun-kernel"), 2));
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    TunNetwork network() {
        return network;
    }

    NettyLoad kernel() {
        return kernel;
    }

    /** The kernel's address and {@code count - 1} more on the TUN (10.0.1.2, 10.0.1.3, ...). */
    List<String> kernelSources(int count) throws IOException {
        List<String> sources = new ArrayList<>(List.of(KERNEL));
        for (int i = 1; i < count; i++) {
            String extra = "10.0.1." + (i + 1);
            Shell.run("ip", "-n", network.namespace(), "addr", "add", extra + "/32", "dev", network.tunName());
            sources.add(extra);
        }
        return sources;
    }

    /** The kernel's TcpRetransSegs and the TUN's transmit drops (packets the peer did not read in time). */
    String kernelCounters() throws IOException {
        return KernelTuning.counters(network.namespace(), network.tunName());
    }

    @Override
    public void close() throws IOException {
        try {
            kernel.close();
        } finally {
            network.close();
        }
    }
}
