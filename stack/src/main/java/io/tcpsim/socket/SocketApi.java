package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_WAITALL;
import static io.tcpsim.socket.SocketConstants.SOCK_CLOEXEC;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;

import io.tcpsim.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * The BSD socket calls over tcpsim, on int descriptors, with Linux's errno rules: each call
 * returns what libc returns (a descriptor, a count, 0) or -1 with {@link #errno()} set for the
 * calling thread. Blocking calls park the calling thread (virtual threads are cheap callers)
 * until a TCP event on the socket, a timeout (SO_RCVTIMEO / SO_SNDTIMEO) or shutdown(2) wakes it.
 *
 * <p>TCP runs on the stack thread: every call hands its TCP part to it through
 * {@link StackExecutor#execute}, so a call must not be made on the stack thread itself.
 *
 * <p>SOCK_STREAM (TCP) and SOCK_DGRAM (UDP, {@link DatagramCalls}, {@link DatagramIo}) over
 * AF_INET. Departures from Linux, until later issues: AF_INET6 is EAFNOSUPPORT (as a kernel built
 * without IPv6); close(2) wakes the calls blocked on the descriptor, which then fail with EBADF
 * (Linux keeps the file open until they return); privileged ports are allowed.
 */
public final class SocketApi {
    private static final ThreadLocal<int[]> ERRNO = ThreadLocal.withInitial(() -> new int[1]);

    final StackExecutor stack;
    final SocketLimits limits;
    private final Clock clock;
    final FdTable files;
    final StreamCalls calls;
    final DataCalls data;
    final PollCalls polls;
    final DatagramCalls datagrams;
    final DatagramIo datagramIo;

    public SocketApi(StackExecutor stack, Clock clock, int stackAddress) {
        this(stack, clock, stackAddress, SocketLimits.LINUX_DEFAULTS);
    }

    public SocketApi(StackExecutor stack, Clock clock, int stackAddress, SocketLimits limits) {
        this.stack = Objects.requireNonNull(stack);
        this.clock = Objects.requireNonNull(clock);
        this.limits = limits;
        this.files = new FdTable(limits.maxFiles());
        this.calls = new StreamCalls(stackAddress);
        this.data = new DataCalls(this);
        this.polls = new PollCalls(this);
        this.datagrams = new DatagramCalls(this, stackAddress);
        this.datagramIo = new DatagramIo(this);
    }

    /** The errno of the calling thread's last failed call (like errno(3), left alone by success). */
    public static int errno() {
        return ERRNO.get()[0];
    }

    /**
     * socket(2): EINVAL for unknown flags or a type at or above SOCK_MAX (Linux __sys_socket()),
     * EAFNOSUPPORT for other families, EPROTONOSUPPORT for a protocol that is not TCP, EPERM for
     * SOCK_RAW (an unprivileged caller), EMFILE when the table is full; SOCK_DGRAM is UDP
     * ({@link DatagramCalls#socket}).
     */
    public int socket(int domain, int type, int protocol) {
        int flags = type & ~SocketConstants.SOCK_TYPE_MASK;
        int base = type & SocketConstants.SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return fail(Errno.EINVAL);
        } else if (domain != AF_INET) {
            return fail(Errno.EAFNOSUPPORT); // AF_INET6 too: see the class comment
        } else if (base >= SocketConstants.SOCK_MAX) {
            return fail(Errno.EINVAL);
        } else if (base == SocketConstants.SOCK_RAW) {
            return fail(Errno.EPERM); // raw(7): needs CAP_NET_RAW
        } else if (base == SocketConstants.SOCK_DGRAM) {
            return datagrams.socket(protocol, (flags & SOCK_NONBLOCK) != 0);
        } else if (base != SocketConstants.SOCK_STREAM) {
            return fail(Errno.ESOCKTNOSUPPORT);
        } else if (protocol != 0 && protocol != SocketConstants.IPPROTO_TCP) {
            return fail(Errno.EPROTONOSUPPORT);
        }
        return result(files.allocate(new TcpSocket((flags & SOCK_NONBLOCK) != 0, new SocketSettings())));
    }

    /** bind(2); EAFNOSUPPORT for a family other than AF_INET (Linux inet_bind()). */
    public int bind(int fd, SockAddrIn addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.bind(u, addr);
        }
        TcpSocket s = socketOf(fd);
        if (s == null) {
            return -1;
        } else if (addr.family() != AF_INET) {
            return fail(Errno.EAFNOSUPPORT);
        }
        return result(onStack(now -> calls.bind(stack.tcp(), s, addr.address(), addr.port())));
    }

    /** listen(2); EOPNOTSUPP on a UDP socket. */
    public int listen(int fd, int backlog) {
        if (udpOf(fd) != null) {
            return fail(Errno.EOPNOTSUPP);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> calls.listen(stack.tcp(), s, backlog)));
    }

    /** accept(2): {@code addr} (may be null) receives the peer's address. */
    public int accept(int fd, SockAddrIn addr) {
        return accept4(fd, addr, 0);
    }

    /** accept4(2): flags SOCK_NONBLOCK and SOCK_CLOEXEC, anything else EINVAL; EOPNOTSUPP on a UDP socket. */
    public int accept4(int fd, SockAddrIn addr, int flags) {
        if (udpOf(fd) != null && (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == 0) {
            return fail(Errno.EOPNOTSUPP);
        }
        return data.accept(fd, addr, flags);
    }

    /**
     * connect(2): blocking, it waits for the handshake (SO_SNDTIMEO bounds the wait; Linux then
     * says EINPROGRESS); non-blocking, EINPROGRESS, then EALREADY until the handshake is over, then
     * 0 once (or the error), then EISCONN. On a UDP socket it sets the peer, or dissolves the
     * association with AF_UNSPEC ({@link DatagramCalls#connect}).
     */
    public int connect(int fd, SockAddrIn addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.connect(u, addr);
        }
        return data.connect(fd, addr);
    }

    public long read(int fd, byte[] buf, int off, int len) {
        return recv(fd, buf, off, len, 0);
    }

    /** recv(2) with MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL (and MSG_TRUNC on UDP: see {@link #recvfrom}). */
    public long recv(int fd, byte[] buf, int off, int len, int flags) {
        return recvfrom(fd, buf, off, len, flags, null);
    }

    /**
     * recvfrom(2): {@code from} (may be null) receives a UDP datagram's sender; a TCP socket leaves
     * it alone (Linux sets no address). On UDP: one datagram per call, the rest of a longer one
     * lost, MSG_TRUNC returns its real length ({@link DatagramIo#recvfrom}).
     */
    public long recvfrom(int fd, byte[] buf, int off, int len, int flags, SockAddrIn from) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagramIo.recvfrom(u, buf, off, len, flags, from);
        }
        return data.recv(fd, buf, off, len, flags & (MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL));
    }

    public long write(int fd, byte[] buf, int off, int len) {
        return send(fd, buf, off, len, 0);
    }

    /**
     * send(2): blocking, it returns once every byte is in the send buffer (Linux tcp_sendmsg());
     * with MSG_DONTWAIT or O_NONBLOCK what fits, EAGAIN when nothing does. There are no signals:
     * EPIPE is returned as with MSG_NOSIGNAL.
     */
    public long send(int fd, byte[] buf, int off, int len, int flags) {
        return sendto(fd, buf, off, len, flags, null);
    }

    /**
     * sendto(2): on UDP one datagram to {@code to}, or to the connected peer when null
     * ({@link DatagramIo#sendto}); a TCP socket ignores {@code to}, as Linux does on a connected one.
     */
    public long sendto(int fd, byte[] buf, int off, int len, int flags, SockAddrIn to) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagramIo.sendto(u, buf, off, len, flags, to);
        }
        return data.send(fd, buf, off, len, flags & MSG_DONTWAIT);
    }

    /** shutdown(2): SHUT_RD, SHUT_WR, SHUT_RDWR; wakes the calls blocked on the socket. */
    public int shutdown(int fd, int how) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.shutdown(u, how);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> calls.shutdown(s, how, now)));
    }

    /** close(2). */
    public int close(int fd) {
        OpenFile f = files.remove(fd);
        if (f == null) {
            return fail(Errno.EBADF);
        }
        onStack(now -> {
            if (f instanceof TcpSocket s) {
                calls.close(s, now);
            } else if (f instanceof UdpSocket u) {
                datagrams.close(u);
            } else if (f instanceof Epoll e) {
                e.release();
            }
            return 0;
        });
        f.waiters().wakeAll();
        return 0;
    }

    public int getsockname(int fd, SockAddrIn addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.sockName(u, addr);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> {
            calls.sockName(s, addr);
            return 0;
        }));
    }

    public int getpeername(int fd, SockAddrIn addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.peerName(u, addr);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> calls.peerName(s, addr)));
    }

    /**
     * fcntl(2): F_GETFL (exactly O_RDWR, plus O_NONBLOCK), F_SETFL (only O_NONBLOCK matters);
     * anything else EINVAL (F_GETFD / F_SETFD are not there yet: there is no exec).
     */
    public int fcntl(int fd, int cmd, int arg) {
        return data.fcntl(fd, cmd, arg);
    }

    /** setsockopt(2) with an int value. */
    public int setsockopt(int fd, int level, int name, int value) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return result(onStack(now -> DatagramOptionCalls.set(u, level, name, value, limits)));
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> SocketOptionCalls.set(s, level, name, value, limits)));
    }

    /** setsockopt(2) with a struct timeval: SO_RCVTIMEO, SO_SNDTIMEO. */
    public int setsockopt(int fd, int level, int name, Timeval value) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return result(SocketOptionCalls.setTimeout(u.settings, level, name, value));
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> SocketOptionCalls.setTimeout(s, level, name, value)));
    }

    /** getsockopt(2) of an int option into {@code value[0]}. */
    public int getsockopt(int fd, int level, int name, int[] value) {
        UdpSocket u = udpOf(fd);
        TcpSocket s = u == null ? socketOf(fd) : null;
        if (u == null && s == null) {
            return -1;
        }
        long v = onStack(now -> u != null
                ? DatagramOptionCalls.get(u, level, name) : SocketOptionCalls.get(s, level, name));
        if (v < 0) {
            return fail((int) -v);
        }
        value[0] = (int) v;
        return 0;
    }

    /** getsockopt(2) of SO_RCVTIMEO or SO_SNDTIMEO into {@code value[0]}. */
    public int getsockopt(int fd, int level, int name, Timeval[] value) {
        UdpSocket u = udpOf(fd);
        TcpSocket s = u == null ? socketOf(fd) : null;
        if (u == null && s == null) {
            return -1;
        }
        Timeval tv = SocketOptionCalls.getTimeout(u != null ? u.settings : s.settings, level, name);
        if (tv == null) {
            return fail(level == SocketConstants.SOL_SOCKET ? Errno.EINVAL : Errno.ENOPROTOOPT);
        }
        value[0] = tv;
        return 0;
    }

    /**
     * getsockopt(2) into a buffer: {@code optlen[0]} is the buffer length on entry, the bytes
     * written on return. IPPROTO_TCP TCP_INFO gives {@link io.tcpsim.tcp.TcpInfo}'s bytes (Linux's
     * struct tcp_info), cut to optlen; other options as their int or timeval. A negative optlen is
     * EINVAL (Linux 6.x, at every level); EFAULT when {@code optval} is shorter than what would be
     * copied (Linux: a bad user pointer).
     */
    public int getsockopt(int fd, int level, int name, byte[] optval, int[] optlen) {
        TcpSocket s = socketOf(fd);
        if (s == null) {
            return -1;
        } else if (optlen[0] < 0) {
            return fail(Errno.EINVAL);
        }
        byte[] value;
        if (level == SocketConstants.IPPROTO_TCP && name == SocketConstants.TCP_INFO) {
            value = onStack(now -> OptionBytes.tcpInfo(s, stack.tcp(), now));
        } else if (level == SocketConstants.SOL_SOCKET
                && (name == SocketConstants.SO_RCVTIMEO || name == SocketConstants.SO_SNDTIMEO)) {
            Timeval[] tv = new Timeval[1];
            if (getsockopt(fd, level, name, tv) < 0) {
                return -1;
            }
            value = OptionBytes.timeval(tv[0]);
        } else {
            int[] v = new int[1];
            if (getsockopt(fd, level, name, v) < 0) {
                return -1;
            }
            value = OptionBytes.integer(v[0]);
        }
        return result(OptionBytes.copyOut(value, optval, optlen));
    }

    /**
     * ioctl(2): FIONREAD (SIOCINQ) bytes readable, SIOCOUTQ bytes not yet acknowledged, into
     * {@code value[0]}; EINVAL when listening.
     */
    public int ioctl(int fd, int request, int[] value) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.ioctl(u, request, value);
        }
        return data.ioctl(fd, request, value);
    }

    /** poll(2): revents filled in; returns how many descriptors have events, 0 on timeout. */
    public int poll(PollFd[] fds, int timeoutMillis) {
        return polls.poll(fds, timeoutMillis);
    }

    /** epoll_create1(2): flags 0 or EPOLL_CLOEXEC. */
    public int epollCreate1(int flags) {
        return polls.create(flags);
    }

    /** epoll_ctl(2). */
    public int epollCtl(int epfd, int op, int fd, EpollEvent event) {
        return polls.control(epfd, op, fd, event);
    }

    /** epoll_wait(2): fills {@code events[0..n)}; returns n, 0 on timeout. */
    public int epollWait(int epfd, EpollEvent[] events, int maxEvents, int timeoutMillis) {
        return polls.await(epfd, events, maxEvents, timeoutMillis);
    }

    /** The TCP socket of fd, or null with errno EBADF (ENOTSOCK for an epoll descriptor). */
    TcpSocket socketOf(int fd) {
        OpenFile f = files.get(fd);
        if (f instanceof TcpSocket s && !s.isClosed()) {
            return s;
        }
        fail(f == null ? Errno.EBADF : Errno.ENOTSOCK);
        return null;
    }

    /** The UDP socket of fd, or null (no errno set): the calls then take the TCP path. */
    UdpSocket udpOf(int fd) {
        return files.get(fd) instanceof UdpSocket u ? u : null;
    }

    /** Runs op on the stack thread with the stack's time and waits for its result. */
    <T> T onStack(LongFunction<T> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stack.execute(() -> {
            try {
                result.complete(op.apply(clock.nanoTime()));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.join();
    }

    static int fail(int errno) {
        ERRNO.get()[0] = errno;
        return -1;
    }

    /** A call's internal result (>= 0, or -errno) as libc returns it. */
    static int result(int r) {
        return r < 0 ? fail(-r) : r;
    }

    static long result(long r) {
        return r < 0 ? fail((int) -r) : r;
    }
}
