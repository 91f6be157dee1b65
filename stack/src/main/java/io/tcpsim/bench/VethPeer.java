package io.tcpsim.bench;

import io.tcpsim.tun.NetNamespace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference: the kernel's own TCP on both sides of a veth pair between two namespaces, with
 * Netty in the peer's namespace playing tcpsim's part (peer 10.9.0.1, kernel 10.9.0.2). The veth
 * keeps its default offloads (TSO, GSO, GRO, checksum).
 */
final class VethPeer implements Peer {

    private static final String PEER = "10.9.0.1";
    private static final String KERNEL = "10.9.0.2";

    private final NetNamespace peerSide;
    private final NetNamespace kernelSide;
    private final NettyLoad peer;
    private final NettyLoad kernel;

    private VethPeer(NetNamespace peerSide, NetNamespace kernelSide) {
        this.peerSide = peerSide;
        this.kernelSide = kernelSide;
        this.peer = new NettyLoad(peerSide.threadFactory("veth-peer"), 1);
        this.kernel = new NettyLoad(kernelSide.threadFactory("veth-kernel"), 2);
    }

    static VethPeer create(String prefix, int mtu) throws IOException {
        NetNamespace peerSide = NetNamespace.create(NetNamespace.uniqueName(prefix));
        NetNamespace kernelSide = null;
        try {
            kernelSide = NetNamespace.create(NetNamespace.uniqueName(prefix));
            Shell.run("ip", "link", "add", "vp", "netns", peerSide.name(), "type", "veth",
                    "peer", "name", "vk", "netns", kernelSide.name());
            configure(peerSide, "vp", PEER, mtu);
            configure(kernelSide, "vk", KERNEL, mtu);
            KernelTuning.apply(kernelSide);
            KernelTuning.apply(peerSide);
            return new VethPeer(peerSide, kernelSide);
        } catch (IOException | RuntimeException e) {
            peerSide.delete();
            if (kernelSide != null) {
                kernelSide.delete();
            }
            throw e;
        }
    }

    private static void configure(NetNamespace namespace, String ifName, String address, int mtu) throws IOException {
        namespace.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        Shell.run("ip", "-n", namespace.name(), "addr", "add", address + "/16", "dev", ifName);
        Shell.run("ip", "-n", namespace.name(), "link", "set", ifName, "mtu", Integer.toString(mtu), "up");
    }

    @Override
    public String name() {
        return "kernel (veth)";
    }

    @Override
    public String address() {
        return PEER;
    }

    @Override
    public String kernelAddress() {
        return KERNEL;
    }

    @Override
    public String kernelNamespace() {
        return kernelSide.name();
    }

    @Override
    public NettyLoad kernel() {
        return kernel;
    }

    @Override
    public Running discard(int port) throws IOException {
        return peer.discard(PEER, port);
    }

    @Override
    public Running echo(int port) throws IOException {
        return peer.echo(PEER, port);
    }

    @Override
    public Running send(int port, int flows) throws IOException {
        return peer.send(KERNEL, port, flows);
    }

    @Override
    public boolean sends() {
        return true;
    }

    @Override
    public List<String> kernelSources(int count) throws IOException {
        List<String> sources = new ArrayList<>(List.of(KERNEL));
        for (int i = 1; i < count; i++) {
            String extra = "10.9.1." + i;
            Shell.run("ip", "-n", kernelSide.name(), "addr", "add", extra + "/16", "dev", "vk");
            sources.add(extra);
        }
        return sources;
    }

    @Override
    public long heapInUse() {
        return -1;
    }

    @Override
    public String kernelCounters() throws IOException {
        return KernelTuning.counters(kernelSide.name(), "vk");
    }

    @Override
    public void close() throws IOException {
        try {
            kernel.close();
            peer.close();
        } finally {
            try {
                peerSide.delete();
            } finally {
                kernelSide.delete();
            }
        }
    }
}
