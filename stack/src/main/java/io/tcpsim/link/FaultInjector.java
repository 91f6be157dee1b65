package io.tcpsim.link;

import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded {@link LinkDevice} decorator that impairs what the stack transmits: loss, duplication,
 * corruption (one byte flipped), a bandwidth bottleneck with a drop-tail queue, a fixed delay and
 * reordering (a random extra delay). Held packets reach the inner device once their time has come
 * on the clock, whenever the stack calls in ({@link #flush} does it explicitly); receiving is left
 * alone. The same seed gives the same impairments.
 */
public final class FaultInjector implements LinkDevice {
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
    }

    private record Held(long at, long order, byte[] bytes) {
    }

    private final LinkDevice inner;
    private final Clock clock;
    private final Faults faults;
    private final SplittableRandom random;
    private final PriorityQueue<Held> held = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    private long bottleneckFreeAt;
    private long dropped;

    public FaultInjector(LinkDevice inner, Clock clock, Faults faults, long seed) {
        this.inner = inner;
        this.clock = clock;
        this.faults = faults;
        this.random = new SplittableRandom(seed);
    }

    /** Packets lost on purpose or to the full bottleneck queue. */
    public long dropped() {
        return dropped;
    }

    /** When the next held packet is due ({@link Clock#NO_DEADLINE} when none). */
    public long nextReleaseAt() {
        Held h = held.peek();
        return h == null ? Clock.NO_DEADLINE : h.at();
    }

    /** Passes every held packet that is due to the inner device. */
    public void flush() throws IOException {
        long now = clock.nanoTime();
        while (!held.isEmpty() && held.peek().at() <= now) {
            inner.transmit(MemorySegment.ofArray(held.poll().bytes()));
        }
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int receive(MemorySegment buffer) throws IOException {
        flush();
        return inner.receive(buffer);
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        byte[] bytes = packet.toArray(ValueLayout.JAVA_BYTE);
        long now = clock.nanoTime();
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
            hold(corrupt(bytes), departAt);
        }
        flush();
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
        held.add(new Held(departAt + faults.delayNanos() + extra, order++, bytes));
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        flush();
        return inner.awaitReceivable(timeoutNanos);
    }

    @Override
    public void close() throws IOException {
        held.clear();
        inner.close();
    }
}
