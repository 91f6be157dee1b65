package io.tcpsim.link.tun;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackLoop;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PcapTap;
import io.tcpsim.time.SystemClock;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A running stack on a real TUN in a namespace of its own, for tests: the kernel at 10.0.0.1,
 * tcpsim at 10.0.0.2. {@link #close} stops the loop and deletes the namespace even when a step fails.
 */
final class LiveStack implements AutoCloseable {

    static final String NAMESPACE_PREFIX = "tcpsim-t";
    static final String KERNEL = "10.0.0.1";
    static final String STACK = "10.0.0.2";

    private final TunNetwork network;
    private final NetStack stack;
    private final StackLoop loop;

    private LiveStack(TunNetwork network, NetStack stack, StackLoop loop) {
        this.network = network;
        this.stack = stack;
        this.loop = loop;
    }

    /** Starts a stack in a fresh namespace; {@code pcap} may be null. */
    static LiveStack start(Path pcap) throws IOException {
        TunNetwork.reapStale(NAMESPACE_PREFIX);
        TunNetwork network = TunNetwork.create(new TunNetwork.Config(TunNetwork.uniqueNamespace(NAMESPACE_PREFIX),
                "tun0", Ipv4Address.parse(KERNEL), Ipv4Address.parse(STACK), 1500));
        try {
            SystemClock clock = new SystemClock();
            LinkDevice link = pcap == null ? network.link() : PcapTap.open(network.link(), clock, pcap);
            NetStack stack = new NetStack(link, new StackConfig(Ipv4Address.parse(STACK)));
            return new LiveStack(network, stack, StackLoop.start(stack, clock));
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

    ProcessResult exec(String... command) throws IOException {
        return network.exec(command);
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
