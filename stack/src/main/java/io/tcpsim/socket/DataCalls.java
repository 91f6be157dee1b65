package io.tcpsim.socket;

import static io.tcpsim.socket.SocketApi.fail;
import static io.tcpsim.socket.SocketApi.result;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_MORE;
import static io.tcpsim.socket.SocketConstants.MSG_OOB;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_TRUNC;
import static io.tcpsim.socket.SocketConstants.MSG_WAITALL;

import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpState;
import java.util.concurrent.TimeUnit;

/**
 * The calls that may block: accept, connect, recv, send (and their vector forms), a lingering
 * close. Each registers a waiter on the socket before its first try, tries on the stack thread,
 * and parks between tries until a TCP event, shutdown, close or the timeout (SO_RCVTIMEO for
 * accept and recv, SO_SNDTIMEO for connect and send, as Linux sock_rcvtimeo() / sock_sndtimeo(),
 * SO_LINGER for close); then fcntl and ioctl. The I/O calls on a UDP socket go to {@link DatagramIo}.
 */
final class DataCalls {
    private final SocketApi api;

    DataCalls(SocketApi api) {
        this.api = api;
    }

    /**
     * accept4(2): Linux checks the flags, then the descriptor, then reserves the new descriptor
     * and file (EMFILE, ENFILE: __sys_accept4_file(), do_accept()) before it waits or takes a
     * connection off the queue, so a refused accept leaves the connection queued.
     */
    int accept(int fd, SockAddr addr, int flags) {
        if ((flags & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC)) != 0) {
            return fail(Errno.EINVAL);
        }
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        }
        int newFd = api.files.reserve();
        if (newFd < 0) {
            return fail(-newFd);
        }
        boolean nonBlocking = (flags & SocketConstants.SOCK_NONBLOCK) != 0;
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            long deadline = deadline(s.settings.rcvTimeoutNanos);
            while (true) {
                int r = api.onStack(now -> acceptOnce(s, addr, nonBlocking, newFd, now));
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
            api.files.unreserve(newFd);
        }
    }

    /** One try: the oldest established connection installed at the reserved {@code newFd}, or -EAGAIN. */
    private int acceptOnce(TcpSocket s, SockAddr addr, boolean nonBlocking, int newFd, long now) {
        if (s.isClosed()) {
            return -Errno.EBADF;
        } else if (s.tcpState() != TcpState.LISTEN) {
            return -Errno.EINVAL; // accept(2): not listening
        }
        TcpSocket child = api.calls.accept(s, nonBlocking, now);
        if (child == null) {
            return -Errno.EAGAIN;
        }
        api.files.install(newFd, child);
        if (addr != null) {
            api.calls.peerName(child, addr);
        }
        return newFd;
    }

    int connect(int fd, SockAddr addr) {
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        }
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            int first = api.onStack(now -> s.isClosed() ? -Errno.EBADF
                    : api.calls.connect(api.stack.tcp(), s, addr, now));
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

    /** recv(2), recvfrom(2): {@code from} (may be null) receives a UDP sender; TCP sets no address. */
    long recv(int fd, IoVector v, int flags, SockAddr from) {
        if (api.udpOf(fd) instanceof UdpSocket u) {
            return api.datagramIo.receive(u, v, flags, from, null);
        }
        TcpSocket s = api.socketOf(fd);
        return s == null ? -1 : receive(s, v, flags);
    }

    /** send(2), sendto(2): {@code to} (may be null) is a UDP destination; TCP ignores it, as Linux on a connected socket. */
    long send(int fd, IoVector v, int flags, SockAddr to) {
        if (api.udpOf(fd) instanceof UdpSocket u) {
            return api.datagramIo.send(u, v, flags, to);
        }
        TcpSocket s = api.socketOf(fd);
        return s == null ? -1 : transmit(s, v, flags);
    }

    /**
     * read(2) and readv(2): EINVAL on an epoll descriptor (it cannot be read), EINVAL for more than
     * IOV_MAX buffers, EFAULT for a null or read-only one; no room at all returns 0 at once,
     * without looking at the socket (Linux sock_read_iter(): "match SYS5 behaviour"); else recv(2).
     */
    long read(int fd, IoVector v) {
        OpenFile f = api.files.get(fd);
        if (f == null) {
            return fail(Errno.EBADF);
        }
        if (f instanceof Epoll || v.count() > IoVector.MAX_IOV) {
            return fail(Errno.EINVAL);
        }
        if (v.faulty(true)) {
            return fail(Errno.EFAULT);
        }
        if (v.length() == 0) {
            return 0;
        }
        return f instanceof UdpSocket u ? api.datagramIo.receive(u, v, 0, null, null) : receive((TcpSocket) f, v, 0);
    }

    /**
     * write(2) and writev(2): EINVAL on an epoll descriptor and for more than IOV_MAX buffers,
     * EFAULT for a null one; writev(2) with nothing to write returns 0 at once (Linux
     * vfs_writev()), write(2) of 0 bytes goes to the socket like send(2).
     */
    long write(int fd, IoVector v, boolean vectored) {
        OpenFile f = api.files.get(fd);
        if (f == null) {
            return fail(Errno.EBADF);
        }
        if (f instanceof Epoll || v.count() > IoVector.MAX_IOV) {
            return fail(Errno.EINVAL);
        }
        if (v.faulty(false)) {
            return fail(Errno.EFAULT);
        }
        if (vectored && v.length() == 0) {
            return 0;
        }
        return f instanceof UdpSocket u ? api.datagramIo.send(u, v, 0, null) : transmit((TcpSocket) f, v, 0);
    }

    /**
     * recvmsg(2): EMSGSIZE for more than IOV_MAX buffers (Linux __copy_msghdr()), EFAULT for a
     * read-only one; then recv(2) with the flags; TCP fills in no name, no control data, no flags;
     * UDP the sender's name, and MSG_TRUNC in the flags when the datagram did not fit.
     */
    long recvmsg(int fd, MsgHdr msg, int flags) {
        UdpSocket u = api.udpOf(fd);
        TcpSocket s = u == null ? api.socketOf(fd) : null;
        if (u == null && s == null) {
            return -1;
        }
        IoVector v = IoVector.of(msg.iov);
        if (v.count() > IoVector.MAX_IOV) {
            return fail(Errno.EMSGSIZE);
        } else if (v.faulty(true)) {
            return fail(Errno.EFAULT);
        } else if (u != null) {
            return api.datagramIo.receive(u, v, flags, msg.name, msg);
        }
        long r = receive(s, v, flags);
        if (r >= 0) {
            msg.nameLength = 0;
            msg.controlLength = 0;
            msg.flags = 0;
        }
        return r;
    }

    /**
     * sendmsg(2): EMSGSIZE for more than IOV_MAX buffers; the name is ignored (a connected TCP
     * socket, Linux tcp_sendmsg()), on UDP it is the destination; then send(2). Linux: ancillary
     * data is looked at after the connection state; tcpsim takes none (EINVAL), where Linux takes
     * a few SOL_SOCKET kinds (and IP ones on UDP).
     */
    long sendmsg(int fd, MsgHdr msg, int flags) {
        UdpSocket u = api.udpOf(fd);
        TcpSocket s = u == null ? api.socketOf(fd) : null;
        if (u == null && s == null) {
            return -1;
        }
        IoVector v = IoVector.of(msg.iov);
        if (v.count() > IoVector.MAX_IOV) {
            return fail(Errno.EMSGSIZE);
        } else if (v.faulty(false)) {
            return fail(Errno.EFAULT);
        }
        boolean control = msg.control != null && msg.controlLength > 0;
        if (u != null) {
            return control ? fail(Errno.EINVAL) : api.datagramIo.send(u, v, flags, msg.name);
        } else if (control) {
            int state = api.onStack(now -> StreamIo.write(s, new byte[0], 0, 0, false, false, 0, now));
            return fail(state < 0 ? -state : Errno.EINVAL);
        }
        return transmit(s, v, flags);
    }

    /**
     * recv(2) and friends: MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC (tcp(7): the bytes are
     * read and discarded, the count returned); MSG_ERRQUEUE finds TCP's error queue empty (EAGAIN);
     * MSG_OOB reads the urgent byte and never blocks (Linux tcp_recv_urg()).
     */
    private long receive(TcpSocket s, IoVector vector, int flags) {
        if ((flags & SocketConstants.MSG_ERRQUEUE) != 0) {
            return fail(Errno.EAGAIN); // Linux inet_recv_error(): nothing queued
        }
        IoVector v = (flags & MSG_TRUNC) != 0 ? vector.discarding() : vector;
        boolean peek = (flags & MSG_PEEK) != 0;
        if ((flags & MSG_OOB) != 0) {
            return result(api.onStack(now -> s.isClosed() ? -Errno.EBADF
                    : v.read(0, 1, (a, off, n) -> StreamIo.readUrgent(s, a, off, n, peek))));
        }
        boolean waitAll = (flags & MSG_WAITALL) != 0 && !peek;
        int len = v.length();
        if ((flags & ~MSG_DONTWAIT) == 0) {
            int n = readOnCallerThread(s, v);
            if (n > 0) {
                return n;
            }
        }
        return transfer(s, s.settings.rcvTimeoutNanos, flags, len, !waitAll, 0,
                (done, now) -> v.read(done, s.readable(), (a, off, n) -> StreamIo.read(s, a, off, n, peek, done, now)));
    }

    /**
     * A plain read's bytes queued now, copied on this thread ({@link TcpConnection#receiveOnCallerThread}),
     * the rest of the read's work queued for the stack thread; 0 when the read must go there, as it
     * always does for a drill's calls, which park on virtual time and keep every step on the stack
     * thread, in order. A hand-off to the stack thread and back costs a futex wake-up of the
     * caller: a quarter of the stack thread's time in a bulk receive (docs/benchmarks.md).
     */
    private int readOnCallerThread(TcpSocket s, IoVector v) {
        TcpConnection c = s.connection;
        if (c == null || Parking.SCOPE.isBound()) {
            return 0;
        }
        int n = v.read(0, c.readable(), c::receiveOnCallerThread);
        if (n > 0 && c.claimAfterRead()) {
            api.stack.execute(() -> c.afterReadOnCallerThread(api.now()));
        }
        return n;
    }

    /**
     * send(2) and friends: MSG_DONTWAIT, MSG_MORE (hold a short tail as TCP_CORK, for this call),
     * MSG_OOB (the last byte sent is urgent, RFC 9293 §3.8.5, Linux tcp_mark_urg()); other flags
     * are ignored.
     */
    private long transmit(TcpSocket s, IoVector v, int flags) {
        boolean more = (flags & MSG_MORE) != 0;
        boolean urgent = (flags & MSG_OOB) != 0;
        int len = v.length();
        int first = (flags & ~MSG_DONTWAIT) == 0 ? writeOnCallerThread(s, v) : 0;
        if (first == len && len > 0) {
            return first;
        }
        return transfer(s, s.settings.sndTimeoutNanos, flags, len, false, first,
                (done, now) -> v.write(done, Math.max(1, writableNow(s)),
                        (a, off, n) -> StreamIo.write(s, a, off, n, urgent, more, done, now)));
    }

    /**
     * A plain write's first bytes, copied on this thread into the send buffer's memory
     * ({@link TcpConnection#writeOnCallerThread}), sending them queued for the stack thread; the
     * rest (0: all) goes there, as a drill's calls always do (see {@link #readOnCallerThread}),
     * and those of a socket with TCP_NOTSENT_LOWAT.
     */
    private int writeOnCallerThread(TcpSocket s, IoVector v) {
        TcpConnection c = s.connection;
        if (c == null || Parking.SCOPE.isBound() || s.settings.notSentLowat != 0) {
            return 0;
        }
        int n = v.write(0, c.writable(), c::writeOnCallerThread);
        if (n > 0 && c.claimAfterWrite()) {
            api.stack.execute(() -> c.afterWriteOnCallerThread(api.now()));
        }
        return n;
    }

    private static int writableNow(TcpSocket s) {
        return s.connection == null ? 0 : s.connection.writable();
    }

    /**
     * close(2) of a socket. With SO_LINGER on and a time (Linux tcp_close() then
     * sk_stream_wait_close()), the call waits until the FIN is acknowledged or the time is up,
     * whatever O_NONBLOCK says; then it returns 0 and the connection goes on as an orphan.
     */
    void close(TcpSocket s) {
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            long linger = api.onStack(now -> api.calls.close(s, now));
            if (linger == 0) {
                return;
            }
            long deadline = linger == SocketSettings.FOREVER ? Long.MAX_VALUE
                    : Parking.current().nanoTime() + TimeUnit.SECONDS.toNanos(linger);
            while (api.onStack(now -> StreamCalls.finUnacknowledged(s))) {
                if (waiter.await(deadline) != 0) {
                    return;
                }
            }
        } finally {
            s.waiters().remove(waiter);
        }
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
     * moved (write, MSG_WAITALL) or the stream ended; {@code moved} bytes already were.
     */
    private long transfer(TcpSocket s, long timeoutNanos, int flags, int len, boolean returnOnFirst, int moved,
            Step step) {
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            long deadline = deadline(timeoutNanos);
            boolean wait = !s.nonBlocking() && (flags & MSG_DONTWAIT) == 0 && deadline != Long.MIN_VALUE;
            int copied = moved;
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
     * ioctl(2), tcp(7): SIOCINQ (FIONREAD) bytes readable (up to the urgent mark while urgent data
     * is pending), SIOCOUTQ bytes not yet acknowledged, SIOCOUTQNSD bytes not yet sent (a queued FIN
     * counts one, as Linux's write_seq does); EINVAL on a listener, 0 while the handshake runs;
     * SIOCATMARK (Linux tcp_ioctl(): urgent data and the read position at its mark); ENOTTY for
     * other requests.
     */
    int ioctl(int fd, int request, int[] value) {
        TcpSocket s = api.socketOf(fd);
        if (s == null) {
            return -1;
        } else if (request == SocketConstants.SIOCATMARK) {
            value[0] = api.onStack(now -> s.connection != null && s.connection.atUrgentMark() ? 1 : 0);
            return 0;
        } else if (request != SocketConstants.SIOCINQ && request != SocketConstants.SIOCOUTQ
                && request != SocketConstants.SIOCOUTQNSD) {
            return fail(Errno.ENOTTY);
        }
        int n = api.onStack(now -> queued(s, request));
        if (n < 0) {
            return fail(-n);
        }
        value[0] = n;
        return 0;
    }

    private static int queued(TcpSocket s, int request) {
        TcpState st = s.tcpState();
        if (st == TcpState.LISTEN) {
            return -Errno.EINVAL;
        } else if (request == SocketConstants.SIOCINQ) {
            return s.readable();
        } else if (s.connection == null || st == TcpState.SYN_SENT || st == TcpState.SYN_RECEIVED) {
            return 0;
        }
        return request == SocketConstants.SIOCOUTQ ? s.connection.unacknowledged() : s.connection.unsent();
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
