package io.tcpsim.socket;

import java.util.concurrent.locks.LockSupport;

/**
 * How the thread of a blocked call waits, and the clock its timeouts (SO_RCVTIMEO, SO_SNDTIMEO,
 * poll and epoll_wait) run on. Calls use {@link #REAL} (LockSupport on {@link System#nanoTime()})
 * unless their thread has bound another one with {@link #SCOPE}: the drill runner parks its call
 * threads on virtual time, so that it knows when a call blocks and when its timeout is due.
 */
public interface Parking {

    /** The parking of the calling thread's socket calls, when one is bound. */
    ScopedValue<Parking> SCOPE = ScopedValue.newInstance();

    /** Real threads on real time. */
    Parking REAL = new Parking() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void park(Object blocker, long deadline) {
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(blocker);
            } else {
                LockSupport.parkNanos(blocker, deadline - System.nanoTime());
            }
        }

        @Override
        public void unpark(Thread thread) {
            LockSupport.unpark(thread);
        }
    };

    /** The parking bound for this thread, else {@link #REAL}. */
    static Parking current() {
        return SCOPE.orElse(REAL);
    }

    /** Now, on the clock the timeouts use (nanoseconds; only differences matter). */
    long nanoTime();

    /**
     * Parks the calling thread until {@link #unpark} (an earlier unpark counts), until
     * {@code deadline} on {@link #nanoTime()} (Long.MAX_VALUE: none), or spuriously.
     */
    void park(Object blocker, long deadline);

    /** Lets {@code thread} return from its {@link #park}, or from its next one. */
    void unpark(Thread thread);
}
