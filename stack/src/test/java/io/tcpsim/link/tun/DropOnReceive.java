package io.tcpsim.link.tun;

import io.tcpsim.link.LinkDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * A link decorator that drops a seeded share of the packets the stack receives: loss after the
 * kernel sent them, which the kernel then has to detect (nftables on the kernel's output path
 * drops before the packet counts as sent, so TCP simply sends it again).
 */
final class DropOnReceive implements LinkDevice {
    private final LinkDevice inner;
    private final double loss;
    private final SplittableRandom random;
    private long dropped;

    DropOnReceive(LinkDevice inner, double loss, long seed) {
        this.inner = inner;
        this.loss = loss;
        this.random = new SplittableRandom(seed);
    }

    /** Packets dropped so far (read on the stack thread). */
    long dropped() {
        return dropped;
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int receive(MemorySegment buffer) throws IOException {
        for (int n = inner.receive(buffer); n > 0; n = inner.receive(buffer)) {
            if (random.nextDouble() >= loss) {
                return n;
            }
            dropped++;
        }
        return 0;
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        inner.transmit(packet);
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        return inner.awaitReceivable(timeoutNanos);
    }

    @Override
    public void wakeUp() throws IOException {
        inner.wakeUp();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
