package io.tcpsim;

import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PairLink;
import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Two stacks joined in one JVM by a {@link PairLink}, in real time, with no TUN and no namespace:
 * one platform thread polls both (a PairLink has one driver), then sleeps until a packet is due,
 * a deadline of either stack comes, or a task for either stack arrives. For programs with both
 * ends in tcpsim, such as the buffer experiment.
 */
public final class PairLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PairLoop.class.getName());

    private final PairLink link;
    private final NetStack first;
    private final NetStack second;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    private PairLoop(StackConfig a, StackConfig b, int mtu, long delayNanos, Clock clock) {
        this.clock = clock;
        this.link = new PairLink(clock, mtu, delayNanos);
        this.first = new NetStack(new WakingEnd(link.end(0), wake), a);
        this.second = new NetStack(new WakingEnd(link.end(1), wake), b);
        this.thread = Thread.ofPlatform().name("tcpsim-pair").daemon().unstarted(this::run);
    }

    /** Starts the thread driving stacks {@code a} and {@code b}, {@code delayNanos} apart one way. */
    public static PairLoop start(StackConfig a, StackConfig b, int mtu, long delayNanos, Clock clock) {
        PairLoop loop = new PairLoop(a, b, mtu, delayNanos, clock);
        loop.thread.start();
        return loop;
    }

    public NetStack first() {
        return first;
    }

    public NetStack second() {
        return second;
    }

    private void run() {
        try {
            while (running) {
                first.poll(clock);
                second.poll(clock);
                long deadline = Math.min(Math.min(first.nextDeadline(), second.nextDeadline()), link.nextDeliveryAt());
                long wait = StackLoop.waitNanos(deadline, clock.nanoTime());
                if (wait > 0 && wake.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    wake.drainPermits();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "pair loop stopped: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread and closes both stacks. */
    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        wake.release();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        try {
            first.close();
        } finally {
            second.close();
        }
    }

    /** One end of the pair whose wake-up (a task for its stack) wakes the shared thread. */
    private record WakingEnd(LinkDevice end, Semaphore wake) implements LinkDevice {

        @Override
        public int mtu() {
            return end.mtu();
        }

        @Override
        public int receive(MemorySegment buffer) throws IOException {
            return end.receive(buffer);
        }

        @Override
        public void transmit(MemorySegment packet) throws IOException {
            end.transmit(packet);
        }

        @Override
        public boolean awaitReceivable(long timeoutNanos) throws IOException {
            return end.awaitReceivable(0);
        }

        @Override
        public void wakeUp() {
            wake.release();
        }

        @Override
        public void close() throws IOException {
            end.close();
        }
    }
}
