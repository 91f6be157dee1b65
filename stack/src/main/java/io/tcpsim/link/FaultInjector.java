package io.tcpsim.link;

import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded {@link LinkDevice} decorator that impairs packets: loss, duplication, corruption (one
 * byte flipped), a bandwidth bottleneck with a drop-tail queue, a fixed delay and reordering (a
 * random extra delay). What the stack transmits is impaired by the outbound faults; what it
 * receives, by the inbound faults ({@link Faults#NONE} by default: received packets pass as they
 * are). Held packets move on once their time has come on the clock, whenever the stack calls in
 * ({@link #flush} does it explicitly for outbound ones); a sleep in {@link #awaitReceivable} ends
 * when the next held packet is due. The same seed gives the same impairments.
 */
public final class FaultInjector implements LinkDevice {
    /** Mixed into the seed for the inbound direction, so that it draws independently of outbound. */
    private static final long INBOUND_SEED = 0x9E37_79B9_7F4A_7C15L;

    /**
     * The impairments; probabilities per packet.
     *
     * @param rateBitsPerSecond bottleneck rate, 0 for none
     * @param queueBytes        the bottleneck's drop-tail queue
     */
    public record Faults(double loss, double duplicate, double corrupt, double reorder, long reorderDelayNanos,
                         long delayNanos, long rateBitsPerSecond, int queueBytes) {
        public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0);

        public Faults withLoss(double p) {
            return new Faults(p, duplicate, corrupt, reorder, reorderDelayNanos, delayNanos, rateBitsPerSecond,
                    queueBytes);
        }

        /** Each packet is duplicated with probability {@code p}. */
        public Faults withDuplicate(double p) {
            return new Faults(loss, p, corrupt, reorder, reorderDelayNanos, delayNanos, rateBitsPerSecond,
                    queueBytes);
        }

        /** Each packet is held back, with probability {@code p}, by a random extra delay up to {@code maxNanos}. */
        public Faults withReorder(double p, long maxNanos) {
            return new Faults(loss, duplicate, corrupt, p, maxNanos, delayNanos, rateBitsPerSecond, queueBytes);
        }
    }

    private record Held(long at, long order, byte[] bytes) {
    }

    private final LinkDevice inner;
    private final Clock clock;
    private final Direction outbound;
    private final Direction inbound;

    /** Impairs what the stack transmits; received packets pass untouched. */
    public FaultInjector(LinkDevice inner, Clock clock, Faults faults, long seed) {
        this(inner, clock, faults, Faults.NONE, seed);
    }

    /** Impairs what the stack transmits with {@code outbound} and what it receives with {@code inbound}. */
    public FaultInjector(LinkDevice inner, Clock clock, Faults outbound, Faults inbound, long seed) {
        this.inner = inner;
        this.clock = clock;
        this.outbound = new Direction(outbound, new SplittableRandom(seed));
        this.inbound = new Direction(inbound, new SplittableRandom(seed ^ INBOUND_SEED));
    }

    /** Packets lost on purpose or to a full bottleneck queue, both directions. */
    public long dropped() {
        return outbound.dropped + inbound.dropped;
    }

    /** Packets sent twice, both directions. */
    public long duplicated() {
        return outbound.duplicated + inbound.duplicated;
    }

    /** Packets held back by an extra delay so that later ones may overtake them, both directions. */
    public long reordered() {
        return outbound.reordered + inbound.reordered;
    }

    /** When the next held outbound packet is due ({@link Clock#NO_DEADLINE} when none). */
    public long nextReleaseAt() {
        return outbound.nextAt();
    }

    /** Passes every held outbound packet that is due to the inner device. */
    public void flush() throws IOException {
        long now = clock.nanoTime();
        while (outbound.nextAt() <= now) {
            inner.transmit(MemorySegment.ofArray(outbound.poll()));
        }
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    /**
     * Without inbound faults, the inner device's next packet. With them, packets are taken from
     * the inner device into the inbound direction until one is due, which is returned.
     */
    @Override
    public int receive(MemorySegment buffer) throws IOException {
        flush();
        if (inbound.faults.equals(Faults.NONE)) {
            return inner.receive(buffer);
        }
        long now = clock.nanoTime();
        while (inbound.nextAt() > now) {
            int length = inner.receive(buffer);
            if (length <= 0) {
                return 0;
            }
            inbound.admit(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), now);
        }
        byte[] packet = inbound.poll();
        MemorySegment.copy(packet, 0, buffer, ValueLayout.JAVA_BYTE, 0, packet.length);
        return packet.length;
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        outbound.admit(packet.toArray(ValueLayout.JAVA_BYTE), clock.nanoTime());
        flush();
    }

    /** Waits on the inner device, but no longer than until the next held packet is due. */
    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        flush();
        long now = clock.nanoTime();
        if (inbound.nextAt() <= now) {
            return true;
        }
        long nextHeld = Math.min(outbound.nextAt(), inbound.nextAt());
        long wait = nextHeld == Clock.NO_DEADLINE ? timeoutNanos : Math.min(timeoutNanos, nextHeld - now);
        return inner.awaitReceivable(wait) || inbound.nextAt() <= clock.nanoTime();
    }

    @Override
    public void wakeUp() throws IOException {
        inner.wakeUp();
    }

    @Override
    public void close() throws IOException {
        outbound.held.clear();
        inbound.held.clear();
        inner.close();
    }

    /** One direction's impairments and the packets it holds. */
    private static final class Direction {
        private final Faults faults;
        private final SplittableRandom random;
        private final PriorityQueue<Held> held = new PriorityQueue<>((a, b) -> a.at != b.at
                ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        private long order;
        private long bottleneckFreeAt;
        private long dropped;
        private long duplicated;
        private long reordered;

        Direction(Faults faults, SplittableRandom random) {
            this.faults = faults;
            this.random = random;
        }

        long nextAt() {
            Held h = held.peek();
            return h == null ? Clock.NO_DEADLINE : h.at();
        }

        byte[] poll() {
            return held.poll().bytes();
        }

        /** Drops, queues behind the bottleneck, corrupts, duplicates and delays one packet. */
        void admit(byte[] bytes, long now) {
            if (random.nextDouble() < faults.loss()) {
                dropped++;
                return;
            }
            long departAt = now;
            if (faults.rateBitsPerSecond() > 0) {
                long start = Math.max(now, bottleneckFreeAt);
                long queued = (start - now) * faults.rateBitsPerSecond() / 8 / 1_000_000_000L;
                if (queued + bytes.length > faults.queueBytes()) {
                    dropped++; // drop-tail
                    return;
                }
                bottleneckFreeAt = start + bytes.length * 8L * 1_000_000_000L / faults.rateBitsPerSecond();
                departAt = bottleneckFreeAt;
            }
            hold(corrupt(bytes.clone()), departAt);
            if (random.nextDouble() < faults.duplicate()) {
                duplicated++;
                hold(corrupt(bytes), departAt);
            }
        }

        private byte[] corrupt(byte[] bytes) {
            if (bytes.length > 0 && random.nextDouble() < faults.corrupt()) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
            }
            return bytes;
        }

        private void hold(byte[] bytes, long departAt) {
            boolean reorder = random.nextDouble() < faults.reorder();
            long extra = reorder ? random.nextLong(faults.reorderDelayNanos() + 1) : 0;
            if (reorder) {
                reordered++;
            }
            held.add(new Held(departAt + faults.delayNanos() + extra, order++, bytes));
        }
    }
}
