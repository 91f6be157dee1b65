package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.EPOLLERR;
import static io.tcpsim.socket.SocketConstants.EPOLLET;
import static io.tcpsim.socket.SocketConstants.EPOLLHUP;
import static io.tcpsim.socket.SocketConstants.EPOLLONESHOT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (epoll(7)): the interest list, by descriptor. Each interest sits on its
 * socket's wait queue; a wake-up marks it ready, as ep_poll_callback() puts an item on the ready
 * list. Level-triggered interests are reported while their mask says so; edge-triggered ones
 * only after a wake-up; EPOLLONESHOT disables an interest once reported, until EPOLL_CTL_MOD.
 * The list is touched on the stack thread.
 */
final class Epoll implements OpenFile {
    private final WaitQueue waiters = new WaitQueue();
    private final Map<Integer, Interest> interests = new LinkedHashMap<>();
    private volatile boolean nonBlocking;

    /** One watched descriptor. */
    final class Interest implements WaitQueue.Wakeable {
        final OpenFile socket;
        int events;
        long data;
        volatile boolean ready = true;

        Interest(OpenFile socket, EpollEvent event) {
            this.socket = socket;
            this.events = event.events;
            this.data = event.data;
        }

        @Override
        public void wake() {
            ready = true;
            waiters.wakeAll();
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

    /** epoll_ctl(2): EEXIST, ENOENT as the man page says. */
    int control(int op, int fd, OpenFile socket, EpollEvent event) {
        Interest existing = interests.get(fd);
        if (existing != null && PollMask.isClosed(existing.socket)) {
            remove(fd);
            existing = null;
        }
        switch (op) {
            case SocketConstants.EPOLL_CTL_ADD -> {
                if (existing != null) {
                    return -Errno.EEXIST;
                }
                Interest i = new Interest(socket, event);
                interests.put(fd, i);
                socket.waiters().add(i);
            }
            case SocketConstants.EPOLL_CTL_MOD -> {
                if (existing == null) {
                    return -Errno.ENOENT;
                }
                existing.events = event.events;
                existing.data = event.data;
                existing.ready = true;
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

    private void remove(int fd) {
        Interest i = interests.remove(fd);
        i.socket.waiters().remove(i);
    }

    /** Fills {@code out} with up to max ready interests; returns how many. */
    int collect(EpollEvent[] out, int max, int sendBuffer) {
        int n = 0;
        List<Integer> closed = new ArrayList<>();
        for (Map.Entry<Integer, Interest> e : interests.entrySet()) {
            Interest i = e.getValue();
            if (PollMask.isClosed(i.socket)) {
                closed.add(e.getKey());
                continue;
            }
            boolean edge = (i.events & EPOLLET) != 0;
            if (n == max || (i.events & ~(EPOLLET | EPOLLONESHOT)) == 0 || (edge && !i.ready)) {
                continue;
            }
            i.ready = false;
            int mask = PollMask.of(i.socket, sendBuffer) & (i.events | EPOLLERR | EPOLLHUP);
            if (mask != 0) {
                out[n] = new EpollEvent(mask, i.data);
                n++;
                if ((i.events & EPOLLONESHOT) != 0) {
                    i.events &= EPOLLET | EPOLLONESHOT;
                }
            }
        }
        closed.forEach(this::remove);
        return n;
    }

    /** Stops watching every socket (close of the epoll descriptor). */
    void release() {
        for (Interest i : interests.values()) {
            i.socket.waiters().remove(i);
        }
        interests.clear();
    }
}
