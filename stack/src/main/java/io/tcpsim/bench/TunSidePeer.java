package io.tcpsim.bench;

import java.io.IOException;
import java.util.List;

/**
 * A peer on the kernel side's TUN ({@link TunSide}): tcpsim or the raw sink. What the two share
 * is where they are: the addresses, the kernel side's namespace, its load generator and sources.
 */
abstract class TunSidePeer implements Peer {
    protected final TunSide side;

    TunSidePeer(TunSide side) {
        this.side = side;
    }

    @Override
    public String address() {
        return TunSide.PEER;
    }

    @Override
    public String kernelAddress() {
        return TunSide.KERNEL;
    }

    @Override
    public String kernelNamespace() {
        return side.network().namespace();
    }

    @Override
    public NettyLoad kernel() {
        return side.kernel();
    }

    @Override
    public List<String> kernelSources(int count) throws IOException {
        return side.kernelSources(count);
    }
}
