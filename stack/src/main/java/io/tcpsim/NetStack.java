package io.tcpsim;

import io.tcpsim.ip.IpCounters;
import io.tcpsim.ip.Ipv4Layer;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The composition root: one link, the IP layer above it, and (with later issues) TCP and the
 * socket layer. Confined to one thread, the stack thread; {@link #poll} is its only entry point
 * for packets, {@link #nextDeadline} tells the loop when to come back.
 */
public final class NetStack implements AutoCloseable {

    /** Packets handled per {@link #poll} before the loop looks at its deadlines again. */
    static final int RECEIVE_BUDGET = 64;

    private final LinkDevice link;
    private final IpCounters counters = new IpCounters();
    private final Ipv4Layer ipv4;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;

    public NetStack(LinkDevice link, StackConfig config) {
        this.link = link;
        this.receiveBuffer = arena.allocate(Math.max(link.mtu(), 65_535), 64);
        this.ipv4 = new Ipv4Layer(config.address(), link, counters, arena);
    }

    /**
     * Receives and processes the packets waiting on the link, at most {@link #RECEIVE_BUDGET};
     * returns how many were processed.
     */
    public int poll(long nowNanos) throws IOException {
        int processed = 0;
        while (processed < RECEIVE_BUDGET) {
            int length = link.receive(receiveBuffer);
            if (length <= 0) {
                break;
            }
            ipv4.input(receiveBuffer.asSlice(0, length), nowNanos);
            processed++;
        }
        return processed;
    }

    /** The earliest time at which the stack has work without new packets; none yet. */
    public long nextDeadline() {
        return Clock.NO_DEADLINE;
    }

    public IpCounters counters() {
        return counters;
    }

    public LinkDevice link() {
        return link;
    }

    @Override
    public void close() throws IOException {
        try {
            link.close();
        } finally {
            arena.close();
        }
    }
}
