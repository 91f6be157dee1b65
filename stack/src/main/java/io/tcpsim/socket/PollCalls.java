package io.tcpsim.socket;

import static io.tcpsim.socket.SocketApi.fail;
import static io.tcpsim.socket.SocketApi.result;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/** poll(2) and the epoll calls (epoll_create1(2), epoll_ctl(2), epoll_wait(2)). */
final class PollCalls {
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
        int sendBuffer = api.stack.tcp().config().sendBuffer();
        int n = 0;
        for (PollFd p : fds) {
            OpenFile f = p.fd < 0 ? null : api.files.get(p.fd);
            if (p.fd < 0) {
                p.revents = 0;
            } else if (f == null) {
                p.revents = SocketConstants.POLLNVAL;
            } else {
                int wanted = (p.events & 0xFFFF) | SocketConstants.POLLERR | SocketConstants.POLLHUP;
                p.revents = (short) (PollMask.of(f, sendBuffer) & wanted);
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
     * epoll_ctl(2): EBADF for either descriptor, EINVAL when epfd is not an epoll descriptor or
     * is fd itself, EPERM for a target that is not a socket (nested epoll is not supported here).
     */
    int control(int epfd, int op, int fd, EpollEvent event) {
        OpenFile e = api.files.get(epfd);
        OpenFile f = api.files.get(fd);
        if (e == null || f == null) {
            return fail(Errno.EBADF);
        } else if (!(e instanceof Epoll) || epfd == fd) {
            return fail(Errno.EINVAL);
        } else if (f instanceof Epoll) {
            return fail(Errno.EPERM);
        }
        Epoll epoll = (Epoll) e;
        EpollEvent withErrors = event == null ? null
                : new EpollEvent(event.events | SocketConstants.EPOLLERR | SocketConstants.EPOLLHUP, event.data);
        int r = api.onStack(now -> epoll.control(op, fd, f, withErrors));
        if (r == 0) {
            epoll.waiters().wakeAll();
        }
        return result(r);
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
                    epoll.collect(events, maxEvents, api.stack.tcp().config().sendBuffer())));
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
            if (n > 0 || deadline == Long.MIN_VALUE) {
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
