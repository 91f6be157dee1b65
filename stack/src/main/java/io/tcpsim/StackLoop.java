package io.tcpsim;

import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * The stack thread in real time: sleeps until the link is readable or the stack's next deadline,
 * then polls. Stops when closed; an I/O error on the link stops it and is reported by
 * {@link #failure()}.
 */
public final class StackLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StackLoop.class.getName());

    /** Longest sleep, so that {@link #close} is noticed promptly. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final NetStack stack;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IOException failure;

    private StackLoop(NetStack stack, Clock clock, String name) {
        this.stack = stack;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    /** Starts the stack thread. */
    public static StackLoop start(NetStack stack, Clock clock) {
        return start(stack, clock, "tcpsim-stack");
    }

    /** Starts the stack thread under {@code name} (one per shard: {@code tcpsim-stack-1}, ...). */
    public static StackLoop start(NetStack stack, Clock clock, String name) {
        StackLoop loop = new StackLoop(stack, clock, name);
        loop.thread.start();
        return loop;
    }

    private void run() {
        try {
            while (running) {
                stack.link().awaitReceivable(waitNanos(stack.nextDeadline(), clock.nanoTime()));
                stack.poll(clock);
            }
        } catch (IOException e) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, "stack loop stopped: " + e.getMessage(), e);
        }
    }

    /** How long to sleep for {@code deadline}, without overflow for NO_DEADLINE or MIN_VALUE. */
    static long waitNanos(long deadline, long now) {
        if (deadline <= now) {
            return 0;
        }
        if (deadline == Clock.NO_DEADLINE) {
            return MAX_WAIT_NANOS;
        }
        return Math.min(MAX_WAIT_NANOS, deadline - now);
    }

    /** The link error that stopped the loop, or null. */
    public IOException failure() {
        return failure;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Bytes the stack thread has allocated so far ({@code com.sun.management.ThreadMXBean}). */
    public long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(thread.threadId());
    }

    /** Stops the loop and waits for the stack thread to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
