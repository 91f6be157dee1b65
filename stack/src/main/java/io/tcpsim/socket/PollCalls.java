package io.tcpsim.socket;

import static io.tcpsim.socket.SocketApi.fail;
import static io.tcpsim.socket.SocketApi.result;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/** poll(2) and the epoll calls (epoll_create1(2), epoll_ctl(2), epoll_wait(2)). */
final class PollCalls {
    /** Linux EP_MAX_NESTS: how deep epoll instances may watch each other. */
    static final int MAX_NESTS = 4;
    /** Linux EPOLLEXCLUSIVE_OK_BITS: what an exclusive interest may ask for. */
    private static final int EXCLUSIVE_OK_BITS = SocketConstants.EPOLLIN | SocketConstants.EPOLLOUT
            | SocketConstants.EPOLLERR | SocketConstants.EPOLLHUP | SocketConstants.EPOLLWAKEUP
            | SocketConstants.EPOLLET | SocketConstants.EPOLLEXCLUSIVE;

    private final SocketApi api;

    PollCalls(SocketApi api) {
        this.api = api;
    }

    /**
     * poll(2): POLLNVAL for a descriptor that is not open, nothing for a negative one; POLLERR
     * and POLLHUP are reported whether asked for or not. Negative timeout: forever.
     */
    int poll(PollFd[] fds, int timeoutMillis) {
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        List<OpenFile> watched = new ArrayList<>();
        for (PollFd p : fds) {
            OpenFile f = p.fd < 0 ? null : api.files.get(p.fd);
            if (f != null) {
                f.waiters().add(waiter);
                watched.add(f);
            }
        }
        try {
            return untilReady(waiter, timeoutMillis, () -> api.onStack(now -> scan(fds)));
        } finally {
            watched.forEach(f -> f.waiters().remove(waiter));
        }
    }

    private int scan(PollFd[] fds) {
        int n = 0;
        for (PollFd p : fds) {
            OpenFile f = p.fd < 0 ? null : api.files.get(p.fd);
            if (p.fd < 0) {
                p.revents = 0;
            } else if (f == null) {
                p.revents = SocketConstants.POLLNVAL;
            } else {
                int wanted = (p.events & 0xFFFF) | SocketConstants.POLLERR | SocketConstants.POLLHUP;
                p.revents = (short) (f.pollMask() & wanted);
            }
            if (p.revents != 0) {
                n++;
            }
        }
        return n;
    }

    int create(int flags) {
        if ((flags & ~SocketConstants.EPOLL_CLOEXEC) != 0) {
            return fail(Errno.EINVAL);
        }
        return result(api.files.allocate(new Epoll()));
    }

    /**
     * epoll_ctl(2) in Linux's order of checks: EFAULT for a missing event (ADD, MOD), EBADF for
     * either descriptor, EINVAL when epfd is not an epoll descriptor or is fd itself, EINVAL for
     * EPOLLEXCLUSIVE with MOD, with an epoll target or with other flags, ELOOP when watching an
     * epoll instance would close a loop or nest deeper than EP_MAX_NESTS, then EEXIST / ENOENT.
     * EPOLLERR and EPOLLHUP are always watched. Every file here can be polled, so Linux's EPERM
     * (a regular file) cannot happen.
     */
    int control(int epfd, int op, int fd, EpollEvent event) {
        boolean hasEvent = op != SocketConstants.EPOLL_CTL_DEL;
        if (hasEvent && event == null) {
            return fail(Errno.EFAULT);
        }
        OpenFile e = api.files.get(epfd);
        OpenFile f = api.files.get(fd);
        if (e == null || f == null) {
            return fail(Errno.EBADF);
        }
        if (!(e instanceof Epoll epoll) || epfd == fd) {
            return fail(Errno.EINVAL);
        }
        if (hasEvent && (event.events & SocketConstants.EPOLLEXCLUSIVE) != 0
                && (op == SocketConstants.EPOLL_CTL_MOD || f instanceof Epoll || (event.events & ~EXCLUSIVE_OK_BITS) != 0)) {
            return fail(Errno.EINVAL);
        }
        EpollEvent withErrors = hasEvent
                ? new EpollEvent(event.events | SocketConstants.EPOLLERR | SocketConstants.EPOLLHUP, event.data) : null;
        int r = api.onStack(now -> {
            if (op == SocketConstants.EPOLL_CTL_ADD && f instanceof Epoll target && loops(epoll, target)) {
                return -Errno.ELOOP;
            }
            return epoll.control(op, fd, f, withErrors);
        });
        return result(r);
    }

    /**
     * Linux ep_loop_check(): watching {@code target} from {@code epoll} makes a loop, or a chain
     * of more than EP_MAX_NESTS + 1 instances (the depth below target, plus one, plus how deep
     * epoll itself is watched).
     */
    private boolean loops(Epoll epoll, Epoll target) {
        int below = depthBelow(target, epoll, 0);
        return below > MAX_NESTS || below + 1 + depthAbove(epoll, 0) > MAX_NESTS;
    }

    private static int depthBelow(Epoll from, Epoll forbidden, int depth) {
        int deepest = 0;
        for (Epoll.Interest i : from.interests()) {
            if (i.file instanceof Epoll child && !child.isClosed()) {
                if (child == forbidden || depth > MAX_NESTS) {
                    return MAX_NESTS + 1;
                }
                deepest = Math.max(deepest, depthBelow(child, forbidden, depth + 1) + 1);
            }
        }
        return deepest;
    }

    private int depthAbove(Epoll epoll, int depth) {
        int deepest = 0;
        for (OpenFile f : api.files.open()) {
            if (f instanceof Epoll parent && depth <= MAX_NESTS
                    && parent.interests().stream().anyMatch(i -> i.file == epoll)) {
                deepest = Math.max(deepest, depthAbove(parent, depth + 1) + 1);
            }
        }
        return deepest;
    }

    /** epoll_wait(2): EINVAL for maxEvents <= 0 or a descriptor that is not epoll. */
    int await(int epfd, EpollEvent[] events, int maxEvents, int timeoutMillis) {
        if (maxEvents <= 0 || maxEvents > events.length) {
            return fail(Errno.EINVAL);
        }
        OpenFile e = api.files.get(epfd);
        if (e == null) {
            return fail(Errno.EBADF);
        } else if (!(e instanceof Epoll epoll)) {
            return fail(Errno.EINVAL);
        } else {
            return await(epoll, events, maxEvents, timeoutMillis);
        }
    }

    private int await(Epoll epoll, EpollEvent[] events, int maxEvents, int timeoutMillis) {
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        epoll.waiters().add(waiter);
        try {
            return untilReady(waiter, timeoutMillis, () -> api.onStack(now ->
                    epoll.isClosed() ? -Errno.EBADF : epoll.collect(events, maxEvents)));
        } finally {
            epoll.waiters().remove(waiter);
        }
    }

    private static long deadline(int timeoutMillis) {
        if (timeoutMillis < 0) {
            return Long.MAX_VALUE;
        }
        return timeoutMillis == 0 ? Long.MIN_VALUE : Parking.current().nanoTime() + timeoutMillis * 1_000_000L;
    }

    /**
     * The wait poll(2) and epoll_wait(2) share: count ready files, and while none is, park until
     * a watched file wakes the waiter or the timeout passes (0 ready); EINTR as -1.
     */
    private int untilReady(WaitQueue.Waiter waiter, int timeoutMillis, IntSupplier countReady) {
        long deadline = deadline(timeoutMillis);
        while (true) {
            int n = countReady.getAsInt();
            if (n < 0) {
                return fail(-n);
            } else if (n > 0 || deadline == Long.MIN_VALUE) {
                return n;
            }
            int w = waiter.await(deadline);
            if (w == -Errno.EAGAIN) {
                return 0;
            } else if (w < 0) {
                return fail(-w);
            }
        }
    }
}
