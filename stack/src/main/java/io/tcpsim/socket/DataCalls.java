package io.tcpsim.socket;

import static io.tcpsim.socket.SocketApi.fail;
import static io.tcpsim.socket.SocketApi.result;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_WAITALL;

import io.tcpsim.tcp.TcpState;

/**
 * The calls that may block: accept, connect, recv, send. Each registers a waiter on the socket
 * before its first try, tries on the stack thread, and parks between tries until a TCP event,
 * shutdown, close or the timeout (SO_RCVTIMEO for accept and recv, SO_SNDTIMEO for connect and
 * send, as Linux sock_rcvtimeo() / sock_sndtimeo()); then fcntl and ioctl.
 */
final class DataCalls {
    private final SocketApi api;

    DataCalls(SocketApi api) {
        this.api = api;
    }

    /** accept4(2): Linux checks the flags, then the descriptor, then reserves the new descriptor (EMFILE). */
    int accept(int fd, SockAddrIn addr, int flags) {
        if ((flags & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC)) != 0) {
            return fail(Errno.EINVAL);
        }
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        } else if (api.files.full()) {
            return fail(Errno.EMFILE);
        }
        boolean nonBlocking = (flags & SocketConstants.SOCK_NONBLOCK) != 0;
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            long deadline = deadline(s.settings.rcvTimeoutNanos);
            while (true) {
                int r = api.onStack(now -> acceptOnce(s, addr, nonBlocking, now));
                if (r != -Errno.EAGAIN || s.nonBlocking() || deadline == Long.MIN_VALUE) {
                    return result(r);
                }
                int w = waiter.await(deadline);
                if (w < 0) {
                    return fail(-w);
                }
            }
        } finally {
            s.waiters().remove(waiter);
        }
    }

    private int acceptOnce(TcpSocket s, SockAddrIn addr, boolean nonBlocking, long now) {
        if (s.isClosed()) {
            return -Errno.EBADF;
        } else if (s.tcpState() != TcpState.LISTEN) {
            return -Errno.EINVAL; // accept(2): not listening
        }
        TcpSocket child = api.calls.accept(s, nonBlocking);
        if (child == null) {
            return -Errno.EAGAIN;
        }
        int fd = api.files.allocate(child);
        if (fd < 0) {
            child.connection.abort(now);
            return fd;
        }
        if (addr != null) {
            addr.set(child.connection.tuple().remoteAddr(), child.connection.tuple().remotePort());
        }
        return fd;
    }

    int connect(int fd, SockAddrIn addr) {
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        } else if (addr.family() != SocketConstants.AF_INET) {
            return fail(Errno.EAFNOSUPPORT); // Linux __inet_stream_connect(): AF_UNSPEC would disconnect
        }
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            int first = api.onStack(now -> s.isClosed() ? -Errno.EBADF
                    : api.calls.connect(api.stack.tcp(), s, addr.address(), addr.port(), now));
            long deadline = deadline(s.settings.sndTimeoutNanos);
            if ((first != -Errno.EINPROGRESS && first != -Errno.EALREADY) || s.nonBlocking()
                    || deadline == Long.MIN_VALUE) {
                return result(first);
            }
            while (true) {
                int w = waiter.await(deadline);
                if (w < 0) {
                    return fail(w == -Errno.EAGAIN ? -first : -w); // Linux: a timed-out connect says EINPROGRESS
                }
                int r = api.onStack(now -> s.isClosed() ? -Errno.EBADF : api.calls.finishConnect(s));
                if (r != -Errno.EALREADY) {
                    return result(r);
                }
            }
        } finally {
            s.waiters().remove(waiter);
        }
    }

    long recv(int fd, byte[] buf, int off, int len, int flags) {
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        boolean waitAll = (flags & MSG_WAITALL) != 0 && !peek;
        return transfer(s, s.settings.rcvTimeoutNanos, flags, len, !waitAll,
                (done, now) -> StreamIo.read(s, buf, off + done, len - done, peek, done, now));
    }

    long send(int fd, byte[] buf, int off, int len, int flags) {
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        }
        return transfer(s, s.settings.sndTimeoutNanos, flags, len, false,
                (done, now) -> StreamIo.write(s, buf, off + done, len - done, done, now));
    }

    /** One step of a read or write on the stack thread: bytes moved, 0/-errno, or StreamIo.END. */
    @FunctionalInterface
    private interface Step {
        int run(int done, long now);
    }

    /**
     * The blocking loop read and write share: repeat {@code step} on the stack thread, parking while
     * it says EAGAIN and the call may wait (blocking socket, no MSG_DONTWAIT, timeout not over).
     * {@code returnOnFirst}: return after the first bytes (read), else only once all {@code len}
     * moved (write, MSG_WAITALL) or the stream ended.
     */
    private long transfer(TcpSocket s, long timeoutNanos, int flags, int len, boolean returnOnFirst, Step step) {
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            long deadline = deadline(timeoutNanos);
            boolean wait = !s.nonBlocking() && (flags & MSG_DONTWAIT) == 0 && deadline != Long.MIN_VALUE;
            int copied = 0;
            while (true) {
                int done = copied;
                int r = api.onStack(now -> s.isClosed() ? -Errno.EBADF : step.run(done, now));
                if (r > 0) {
                    copied += r;
                    if (returnOnFirst || copied == len) {
                        return copied;
                    }
                    continue;
                }
                int w = r == -Errno.EAGAIN && wait ? waiter.await(deadline) : r;
                if (w != 0 || r == StreamIo.END) {
                    return copied > 0 || r == StreamIo.END ? copied : fail(-w);
                }
            }
        } finally {
            s.waiters().remove(waiter);
        }
    }

    int fcntl(int fd, int cmd, int arg) {
        OpenFile f = api.files.get(fd);
        if (f == null) {
            return fail(Errno.EBADF);
        }
        return switch (cmd) {
            case SocketConstants.F_GETFL -> SocketConstants.O_RDWR | (f.nonBlocking() ? SocketConstants.O_NONBLOCK : 0);
            case SocketConstants.F_SETFL -> {
                f.setNonBlocking((arg & SocketConstants.O_NONBLOCK) != 0);
                yield 0;
            }
            default -> fail(Errno.EINVAL);
        };
    }

    /**
     * ioctl(2), tcp(7): FIONREAD / SIOCINQ (bytes readable) and SIOCOUTQ (bytes not yet
     * acknowledged), both EINVAL on a listener; ENOTTY for other requests.
     */
    int ioctl(int fd, int request, int[] value) {
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        } else if (request != SocketConstants.FIONREAD && request != SocketConstants.SIOCOUTQ) {
            return fail(Errno.ENOTTY);
        }
        boolean in = request == SocketConstants.FIONREAD;
        int n = api.onStack(now -> {
            if (s.tcpState() == TcpState.LISTEN) {
                return -Errno.EINVAL;
            }
            return in ? s.readable() : s.unacknowledged();
        });
        if (n < 0) {
            return fail(-n);
        }
        value[0] = n;
        return 0;
    }

    /**
     * When a wait for this timeout ends ({@link Parking#nanoTime()}): Long.MAX_VALUE for none, MIN_VALUE
     * for a zero timeout (Linux: a negative SO_RCVTIMEO second count; the call does not wait).
     */
    static long deadline(long timeoutNanos) {
        if (timeoutNanos == SocketSettings.FOREVER) {
            return Long.MAX_VALUE;
        }
        return timeoutNanos == 0 ? Long.MIN_VALUE : Parking.current().nanoTime() + timeoutNanos;
    }
}
