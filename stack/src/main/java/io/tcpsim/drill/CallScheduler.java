package io.tcpsim.drill;

import io.tcpsim.socket.Parking;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the script's system calls on call threads and keeps them in step with the runner, which
 * is the stack thread: a call's stack tasks queue here ({@link #execute}) and the runner runs them
 * ({@link #settle}); a call that blocks parks here, on virtual time ({@link Parking}), so that the
 * runner knows it is blocked and when its timeout is due. Between two settles nothing moves but
 * the runner: the whole run is deterministic.
 */
final class CallScheduler implements Parking, AutoCloseable {
    /** A call thread that neither finishes, parks nor queues work for this long (real time) is stuck. */
    private static final long STUCK_SECONDS = 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final List<Caller> callers = new ArrayList<>();
    private volatile long now;
    private boolean closed;

    /** One call thread: runs one call at a time. */
    final class Caller {
        private final Thread thread;
        private State state = State.IDLE;
        private boolean permit;
        private long parkDeadline = Long.MAX_VALUE;
        private Supplier<Object> call;
        private Object result;
        private RuntimeException failure;

        Caller(String name) {
            thread = Thread.ofPlatform().name(name).daemon().unstarted(this::loop);
            thread.start();
        }

        /** Starts {@code c} on this thread; it must be idle or done. */
        void start(Supplier<Object> c) {
            lock.lock();
            try {
                if (state == State.RUNNING || state == State.PARKED) {
                    throw new IllegalStateException(thread.getName() + " is still in a call");
                }
                call = c;
                result = null;
                failure = null;
                state = State.RUNNING;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean done() {
            lock.lock();
            try {
                return state == State.DONE;
            } finally {
                lock.unlock();
            }
        }

        /** The finished call's value; its exception is rethrown. */
        Object result() {
            lock.lock();
            try {
                if (failure != null) {
                    throw failure;
                }
                state = State.IDLE;
                return result;
            } finally {
                lock.unlock();
            }
        }

        private void loop() {
            while (true) {
                Supplier<Object> c;
                lock.lock();
                try {
                    while (call == null && !closed) {
                        changed.awaitUninterruptibly();
                    }
                    if (call == null) {
                        return;
                    }
                    c = call;
                    call = null;
                } finally {
                    lock.unlock();
                }
                Object r = null;
                RuntimeException f = null;
                try {
                    r = ScopedValue.where(Parking.SCOPE, CallScheduler.this).call(c::get);
                } catch (RuntimeException e) {
                    f = e;
                }
                finish(r, f);
            }
        }

        private void finish(Object r, RuntimeException f) {
            lock.lock();
            try {
                result = r;
                failure = f;
                state = State.DONE;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private enum State { IDLE, RUNNING, PARKED, DONE }

    Caller newCaller(String name) {
        Caller c = new Caller(name);
        lock.lock();
        try {
            callers.add(c);
        } finally {
            lock.unlock();
        }
        return c;
    }

    /** The virtual time the calls see; set by the runner only. */
    void setNow(long nanos) {
        now = nanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** A call's stack task (from {@link DrillExecutor}); runs at the runner's next {@link #settle}. */
    void execute(Runnable task) {
        lock.lock();
        try {
            if (closed) {
                task.run(); // the run is over: nothing else drives the stack any more
                return;
            }
            tasks.add(task);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void park(Object blocker, long deadline) {
        lock.lock();
        try {
            Caller c = callerOf(Thread.currentThread());
            if (!c.permit && !closed) {
                c.state = State.PARKED;
                c.parkDeadline = deadline;
                changed.signalAll();
                while (!c.permit && !closed) {
                    changed.awaitUninterruptibly();
                }
            }
            c.permit = false;
            c.state = State.RUNNING;
            c.parkDeadline = Long.MAX_VALUE;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unpark(Thread thread) {
        lock.lock();
        try {
            Caller c = callerOf(thread);
            c.permit = true;
            if (c.state == State.PARKED) {
                c.state = State.RUNNING;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the calls' stack tasks until every call thread is idle, done or parked: the point at
     * which nothing happens until the runner injects a packet or moves time.
     */
    void settle() {
        while (true) {
            Runnable task;
            lock.lock();
            try {
                task = tasks.poll();
                while (task == null && anyRunning()) {
                    if (!changed.await(STUCK_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("a call thread is stuck: it neither returns nor blocks");
                    }
                    task = tasks.poll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a call", e);
            } finally {
                lock.unlock();
            }
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    /** The earliest timeout of a parked call (Long.MAX_VALUE: none). */
    long earliestTimeout() {
        lock.lock();
        try {
            long earliest = Long.MAX_VALUE;
            for (Caller c : callers) {
                if (c.state == State.PARKED) {
                    earliest = Math.min(earliest, c.parkDeadline);
                }
            }
            return earliest;
        } finally {
            lock.unlock();
        }
    }

    /** Lets every parked call whose timeout is due at {@code nowNanos} run (it then sees the timeout). */
    void wakeTimedOut(long nowNanos) {
        lock.lock();
        try {
            for (Caller c : callers) {
                if (c.state == State.PARKED && c.parkDeadline != Long.MAX_VALUE && c.parkDeadline <= nowNanos) {
                    unpark(c.thread);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean anyRunning() {
        for (Caller c : callers) {
            if (c.state == State.RUNNING) {
                return true;
            }
        }
        return false;
    }

    private Caller callerOf(Thread t) {
        for (Caller c : callers) {
            if (c.thread == t) {
                return c;
            }
        }
        throw new IllegalStateException(t.getName() + " is not a drill call thread");
    }

    /**
     * Ends the call threads: idle ones at once, one still blocked in a call (a script that ended
     * with a call in flight) once the interrupt has made its call return EINTR.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Caller c : callers) {
                if (c.state == State.PARKED || c.state == State.RUNNING) {
                    c.thread.interrupt();
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
