package io.tcpsim.link;

import io.tcpsim.time.Clock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * Two {@link LinkDevice} ends joined in one JVM: what one end transmits the other receives after a
 * fixed one-way delay on the given clock (a virtual clock for simulations). Not thread-safe: one
 * thread drives both ends, as a two-stack simulation does.
 */
public final class PairLink {
    private record Packet(long at, byte[] bytes) {
    }

    private final Clock clock;
    private final int mtu;
    private final long delayNanos;
    private final End[] ends = {new End(0), new End(1)};

    public PairLink(Clock clock, int mtu, long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay " + delayNanos);
        }
        this.clock = clock;
        this.mtu = mtu;
        this.delayNanos = delayNanos;
    }

    /** End 0 or 1. */
    public LinkDevice end(int i) {
        return ends[i];
    }

    /** When the next packet in flight becomes receivable ({@link Clock#NO_DEADLINE} when none). */
    public long nextDeliveryAt() {
        return Math.min(ends[0].nextAt(), ends[1].nextAt());
    }

    private final class End implements LinkDevice {
        private final int index;
        private final ArrayDeque<Packet> inbound = new ArrayDeque<>();

        End(int index) {
            this.index = index;
        }

        long nextAt() {
            Packet p = inbound.peek();
            return p == null ? Clock.NO_DEADLINE : p.at();
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public int receive(MemorySegment buffer) {
            Packet p = inbound.peek();
            if (p == null || p.at() > clock.nanoTime()) {
                return 0;
            }
            inbound.poll();
            MemorySegment.copy(p.bytes(), 0, buffer, ValueLayout.JAVA_BYTE, 0, p.bytes().length);
            return p.bytes().length;
        }

        @Override
        public void transmit(MemorySegment packet) {
            if (packet.byteSize() > mtu) {
                throw new IllegalArgumentException(packet.byteSize() + " bytes exceed the MTU " + mtu);
            }
            ends[1 - index].inbound.add(new Packet(clock.nanoTime() + delayNanos,
                    packet.toArray(ValueLayout.JAVA_BYTE)));
        }

        @Override
        public boolean awaitReceivable(long timeoutNanos) {
            return nextAt() <= clock.nanoTime();
        }

        @Override
        public void close() {
            inbound.clear();
        }
    }
}
