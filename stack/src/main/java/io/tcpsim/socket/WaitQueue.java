package io.tcpsim.socket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads (and epoll instances) waiting for something to change on one file, like a kernel
 * wait queue: woken on the stack thread after the TCP events of the socket. A blocked call adds
 * its {@link Waiter} before it tries the operation, so no wake-up is lost. A wake-up carries a
 * key, as Linux's wake_up_poll(): the poll bits the event is about (0: anything may have
 * changed); a blocked thread retries on any wake-up, an edge-triggered epoll interest only when
 * the key meets the events it waits for (ep_poll_callback()).
 */
final class WaitQueue {

    /** Something a wake-up reaches. */
    interface Wakeable {
        void wake(int key);
    }

    private final Set<Wakeable> waiters = ConcurrentHashMap.newKeySet();

    void add(Wakeable w) {
        waiters.add(w);
    }

    void remove(Wakeable w) {
        waiters.remove(w);
    }

    /** A wake-up about anything (Linux sk_state_change(): key 0). */
    void wakeAll() {
        wake(0);
    }

    /** A wake-up about the poll bits in {@code key}. */
    void wake(int key) {
        if (waiters.isEmpty()) {
            return; // the usual case of an event-driven application: no iterator made
        }
        for (Wakeable w : waiters) {
            w.wake(key);
        }
    }

    /**
     * One parked thread, parked by its thread's {@link Parking}; cheap for virtual threads
     * (LockSupport.park unmounts them).
     */
    static final class Waiter implements Wakeable {
        private final Thread thread = Thread.currentThread();
        private final Parking parking = Parking.current();
        private volatile boolean woken;

        @Override
        public void wake(int key) {
            woken = true;
            parking.unpark(thread);
        }

        /**
         * Parks until woken, until {@code deadline} ({@link Parking#nanoTime()}; Long.MAX_VALUE: none) or
         * until the thread is interrupted.
         *
         * @return 0 when woken, -EAGAIN on timeout, -EINTR when interrupted (the flag stays set)
         */
        int await(long deadline) {
            while (!woken) {
                if (thread.isInterrupted()) {
                    return -Errno.EINTR;
                }
                if (deadline != Long.MAX_VALUE && deadline - parking.nanoTime() <= 0) {
                    return -Errno.EAGAIN;
                }
                parking.park(this, deadline);
            }
            woken = false;
            return 0;
        }
    }
}
