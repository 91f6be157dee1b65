package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.EPOLLET;
import static io.tcpsim.socket.SocketConstants.EPOLLEXCLUSIVE;
import static io.tcpsim.socket.SocketConstants.EPOLLONESHOT;
import static io.tcpsim.socket.SocketConstants.EPOLLWAKEUP;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLRDNORM;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (epoll(7)) as Linux's eventpoll: the interest list by descriptor and a ready
 * list. A wake-up of a watched file whose key meets an interest's events queues the interest
 * (ep_poll_callback()); epoll_wait takes interests from the head of the ready list, reports
 * those whose file is still ready, puts level-triggered ones back at the tail (so that with a
 * small maxevents every ready file gets its turn), drops edge-triggered ones until the next
 * wake-up, and disables EPOLLONESHOT ones until EPOLL_CTL_MOD (ep_send_events()). The interest
 * list is touched on the stack thread; the ready list under this object's lock, since close(2)
 * may wake on the caller's thread.
 */
final class Epoll implements OpenFile {
    /** Linux EP_PRIVATE_BITS: interest flags that are not events. */
    static final int PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;

    private final WaitQueue waiters = new WaitQueue();
    private final Map<Integer, Interest> interests = new LinkedHashMap<>();
    private final ArrayDeque<Interest> ready = new ArrayDeque<>();
    private volatile boolean nonBlocking;
    private volatile boolean closed;

    /** One watched descriptor (Linux epitem). */
    final class Interest implements WaitQueue.Wakeable {
        final OpenFile file;
        volatile int events;
        long data;
        /** On the ready list (guarded by the Epoll). */
        boolean queued;

        Interest(OpenFile file, EpollEvent event) {
            this.file = file;
            this.events = event.events;
            this.data = event.data;
        }

        @Override
        public void wake(int key) {
            int e = events;
            if ((e & ~PRIVATE_BITS) != 0 && (key == 0 || (key & e) != 0)) {
                queue(this);
            }
        }
    }

    @Override
    public WaitQueue waiters() {
        return waiters;
    }

    @Override
    public boolean nonBlocking() {
        return nonBlocking;
    }

    @Override
    public void setNonBlocking(boolean on) {
        nonBlocking = on;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Linux ep_eventpoll_poll(): readable while a queued interest's file is ready; queued ones
     * that are not are dropped on the way.
     */
    @Override
    public synchronized int pollMask() {
        while (!ready.isEmpty()) {
            Interest i = ready.peek();
            if (!i.file.isClosed() && (i.file.pollMask() & i.events) != 0) {
                return POLLIN | POLLRDNORM;
            }
            ready.poll().queued = false;
        }
        return 0;
    }

    /** The files this instance watches (for the nesting checks). */
    Collection<Interest> interests() {
        return interests.values();
    }

    /** epoll_ctl(2) once the descriptors are checked: EEXIST, ENOENT, EINVAL as Linux. */
    int control(int op, int fd, OpenFile file, EpollEvent event) {
        Interest existing = interests.get(fd);
        if (existing != null && (existing.file.isClosed() || existing.file != file)) {
            remove(fd);
            existing = null;
        }
        switch (op) {
            case SocketConstants.EPOLL_CTL_ADD -> {
                if (existing != null) {
                    return -Errno.EEXIST;
                }
                Interest i = new Interest(file, event);
                interests.put(fd, i);
                file.waiters().add(i);
                pollNow(i);
            }
            case SocketConstants.EPOLL_CTL_MOD -> {
                if (existing == null) {
                    return -Errno.ENOENT;
                } else if ((existing.events & EPOLLEXCLUSIVE) != 0) {
                    return -Errno.EINVAL; // Linux: an exclusive interest cannot be modified
                }
                existing.events = event.events;
                existing.data = event.data;
                pollNow(existing);
            }
            case SocketConstants.EPOLL_CTL_DEL -> {
                if (existing == null) {
                    return -Errno.ENOENT;
                }
                remove(fd);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    /** Linux ep_insert() / ep_modify(): an interest whose file is ready now is queued at once. */
    private void pollNow(Interest i) {
        if ((i.file.pollMask() & i.events) != 0) {
            queue(i);
        }
    }

    private void queue(Interest i) {
        synchronized (this) {
            if (i.queued) {
                return;
            }
            i.queued = true;
            ready.addLast(i);
        }
        waiters.wake(POLLIN); // Linux: ep_poll_callback() wakes epoll_wait and a watching epoll
    }

    private void remove(int fd) {
        Interest i = interests.remove(fd);
        i.file.waiters().remove(i);
        synchronized (this) {
            if (i.queued) {
                ready.remove(i);
                i.queued = false;
            }
        }
    }

    /** epoll_wait(2)'s harvest (Linux ep_send_events()): fills {@code out} with up to max events. */
    synchronized int collect(EpollEvent[] out, int max) {
        List<Interest> again = new ArrayList<>();
        int n = 0;
        while (n < max && !ready.isEmpty()) {
            Interest i = ready.poll();
            i.queued = false;
            int mask = i.file.isClosed() ? 0 : i.file.pollMask() & i.events;
            if (mask == 0) {
                continue;
            }
            out[n] = new EpollEvent(mask, i.data);
            n++;
            if ((i.events & EPOLLONESHOT) != 0) {
                i.events &= PRIVATE_BITS;
            } else if ((i.events & EPOLLET) == 0) {
                again.add(i);
            }
        }
        for (Interest i : again) {
            i.queued = true;
            ready.addLast(i);
        }
        return n;
    }

    /** Stops watching every file (close of the epoll descriptor). */
    void release() {
        closed = true;
        for (Interest i : interests.values()) {
            i.file.waiters().remove(i);
        }
        interests.clear();
        synchronized (this) {
            ready.clear();
        }
    }
}
