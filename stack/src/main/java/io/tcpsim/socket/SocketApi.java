package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_ERRQUEUE;
import static io.tcpsim.socket.SocketConstants.MSG_OOB;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_TRUNC;
import static io.tcpsim.socket.SocketConstants.MSG_WAITALL;
import static io.tcpsim.socket.SocketConstants.SOCK_CLOEXEC;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.IpAddress;
import java.nio.ByteBuffer;
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
 * <p>SOCK_STREAM (TCP) over AF_INET, and over AF_INET6 dual stack: IPv4-mapped addresses reach
 * IPv4 peers; native IPv6 addresses reach IPv6 peers when the stack has an IPv6 address, else
 * get the errno of a Linux host without IPv6. SOCK_DGRAM (UDP, {@link DatagramCalls},
 * {@link DatagramIo}) over AF_INET and AF_INET6, dual stack alike. Departures from Linux, until
 * later issues: close(2) wakes the calls blocked on the descriptor,
 * which then fail with EBADF (Linux keeps the file open until they return); privileged ports
 * are allowed; families other than AF_INET and AF_INET6 are EAFNOSUPPORT.
 */
public final class SocketApi {
    private static final ThreadLocal<int[]> ERRNO = ThreadLocal.withInitial(() -> new int[1]);
    /** Linux AF_MAX (NPROTO): families at or above it are EAFNOSUPPORT before the type is looked at. */
    private static final int AF_MAX = 46;

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
        this(stack, clock, stackAddress, IpAddress.ANY_IPV6, limits);
    }

    /**
     * @param stackAddress  the stack's IPv4 address
     * @param stackAddress6 its IPv6 address; {@link IpAddress#ANY_IPV6}: none, AF_INET6 reaches
     *                      IPv4-mapped addresses only
     */
    public SocketApi(StackExecutor stack, Clock clock, int stackAddress, IpAddress stackAddress6, SocketLimits limits) {
        this.stack = Objects.requireNonNull(stack);
        this.clock = Objects.requireNonNull(clock);
        this.limits = limits;
        this.files = new FdTable(limits.maxFiles(), stack.systemFiles());
        this.calls = new StreamCalls(stackAddress, stackAddress6);
        this.data = new DataCalls(this);
        this.polls = new PollCalls(this);
        this.datagrams = new DatagramCalls(this, new DatagramNames(stackAddress, stackAddress6));
        this.datagramIo = new DatagramIo(this);
    }

    /** The errno of the calling thread's last failed call (like errno(3), left alone by success). */
    public static int errno() {
        return ERRNO.get()[0];
    }

    /**
     * socket(2) in Linux's order of checks (__sys_socket(), __sock_create(), inet_create()):
     * EINVAL for unknown flags, EAFNOSUPPORT for a family out of range, EINVAL for a type at or
     * above SOCK_MAX, EAFNOSUPPORT for a family other than AF_INET and AF_INET6, EINVAL for a
     * protocol out of range, ESOCKTNOSUPPORT for a type without protocols, EPROTONOSUPPORT for
     * a protocol that is not TCP (and for SOCK_RAW with protocol 0), EPERM for SOCK_RAW (an
     * unprivileged caller: raw(7) needs CAP_NET_RAW), EMFILE when the table is full, ENFILE when the
     * stack's files are ({@link SystemFiles}, fs.file-max). SOCK_DGRAM is UDP
     * ({@link DatagramCalls#socket}) of either family.
     */
    public int socket(int domain, int type, int protocol) {
        int flags = type & ~SocketConstants.SOCK_TYPE_MASK;
        int base = type & SocketConstants.SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return fail(Errno.EINVAL);
        } else if (domain < 0 || domain >= AF_MAX) {
            return fail(Errno.EAFNOSUPPORT);
        } else if (base >= SocketConstants.SOCK_MAX) {
            return fail(Errno.EINVAL);
        } else if (domain != AF_INET && domain != AF_INET6) {
            return fail(Errno.EAFNOSUPPORT);
        } else if (protocol < 0 || protocol >= SocketConstants.IPPROTO_MAX) {
            return fail(Errno.EINVAL);
        } else if (base == SocketConstants.SOCK_RAW) {
            return fail(protocol == 0 ? Errno.EPROTONOSUPPORT : Errno.EPERM); // 0 matches no raw protocol
        } else if (base == SocketConstants.SOCK_DGRAM) {
            return datagrams.socket(domain, protocol, (flags & SOCK_NONBLOCK) != 0);
        } else if (base != SocketConstants.SOCK_STREAM) {
            return fail(Errno.ESOCKTNOSUPPORT);
        } else if (protocol != 0 && protocol != SocketConstants.IPPROTO_TCP) {
            return fail(Errno.EPROTONOSUPPORT);
        }
        return result(files.allocate(new TcpSocket(domain, (flags & SOCK_NONBLOCK) != 0,
                SocketSettings.forTcp(stack.tcp().config()))));
    }

    /**
     * bind(2): AF_INET as Linux inet_bind() (EAFNOSUPPORT for another family), AF_INET6 as
     * inet6_bind() (a {@link SockAddrIn} is too short: EINVAL); see {@link SockAddr}. A UDP socket:
     * {@link DatagramCalls#bind}.
     */
    public int bind(int fd, SockAddr addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.bind(u, addr);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> calls.bind(stack.tcp(), s, addr)));
    }

    /** listen(2); EOPNOTSUPP on a UDP socket. */
    public int listen(int fd, int backlog) {
        if (udpOf(fd) != null) {
            return fail(Errno.EOPNOTSUPP);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> calls.listen(stack.tcp(), s, backlog)));
    }

    /** accept(2): {@code addr} (may be null) receives the peer's address, mapped for AF_INET6. */
    public int accept(int fd, SockAddr addr) {
        return accept4(fd, addr, 0);
    }

    /** accept4(2): flags SOCK_NONBLOCK and SOCK_CLOEXEC, anything else EINVAL; EOPNOTSUPP on a UDP socket. */
    public int accept4(int fd, SockAddr addr, int flags) {
        if (udpOf(fd) != null && (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == 0) {
            return fail(Errno.EOPNOTSUPP);
        }
        return data.accept(fd, addr, flags);
    }

    /**
     * connect(2): blocking, it waits for the handshake (SO_SNDTIMEO bounds the wait; Linux then
     * says EINPROGRESS); non-blocking, EINPROGRESS, then EALREADY until the handshake is over, then
     * 0 once (or the error), then EISCONN. The address is checked only on an unconnected socket,
     * as Linux: AF_INET takes a {@link SockAddrIn} (else EAFNOSUPPORT), AF_INET6 a
     * {@link SockAddrIn6} (a SockAddrIn is EINVAL), an IPv4-mapped one to reach IPv4. On a UDP
     * socket it sets the peer, or dissolves the association with AF_UNSPEC
     * ({@link DatagramCalls#connect}).
     */
    public int connect(int fd, SockAddr addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.connect(u, addr);
        }
        return data.connect(fd, addr);
    }

    /**
     * read(2): as recv(2) without flags, except that reading 0 bytes returns 0 at once (Linux
     * sock_read_iter()) and an epoll descriptor is EINVAL.
     */
    public long read(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        return data.read(fd, IoVector.of(buf, off, len));
    }

    /**
     * readv(2): scatters into the buffers in order (see {@link MsgHdr} for positions); a null
     * buffer or a read-only one is EFAULT, more than IOV_MAX (1024) EINVAL; as {@link #read}.
     */
    public long readv(int fd, ByteBuffer... iov) {
        return data.read(fd, IoVector.of(iov));
    }

    /**
     * recv(2) with MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_TRUNC (TCP discards the bytes and
     * returns their count, tcp(7); UDP: see {@link #recvfrom}), MSG_ERRQUEUE (the error queue
     * is empty: EAGAIN) and MSG_OOB (TCP's urgent byte; it never blocks, as Linux tcp_recv_urg()).
     */
    public long recv(int fd, byte[] buf, int off, int len, int flags) {
        return recvfrom(fd, buf, off, len, flags, null);
    }

    /**
     * recvfrom(2): {@code from} (may be null) receives a UDP datagram's sender (a
     * {@link SockAddrIn6} for an AF_INET6 socket, an IPv4 sender mapped); a TCP socket leaves it
     * alone (Linux sets no address). On UDP: one datagram per call, the rest of a longer one
     * lost, MSG_TRUNC returns its real length ({@link DatagramIo#receive}).
     */
    public long recvfrom(int fd, byte[] buf, int off, int len, int flags, SockAddr from) {
        Objects.checkFromIndexSize(off, len, buf.length);
        return data.recv(fd, IoVector.of(buf, off, len), recvFlags(flags), from);
    }

    /**
     * recvmsg(2): recv(2) into {@code msg.iov}; more than IOV_MAX buffers is EMSGSIZE. On UDP
     * {@code msg.name} (may be null) receives the sender.
     */
    public long recvmsg(int fd, MsgHdr msg, int flags) {
        return data.recvmsg(fd, msg, recvFlags(flags));
    }

    private static int recvFlags(int flags) {
        return flags & (MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL | MSG_TRUNC | MSG_ERRQUEUE | MSG_OOB);
    }

    /** write(2): send(2) without flags (0 bytes too); an epoll descriptor is EINVAL. */
    public long write(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        return data.write(fd, IoVector.of(buf, off, len), false);
    }

    /**
     * writev(2): gathers from the buffers in order; nothing to write returns 0 at once (Linux
     * vfs_writev()); a null buffer is EFAULT, more than IOV_MAX (1024) EINVAL.
     */
    public long writev(int fd, ByteBuffer... iov) {
        return data.write(fd, IoVector.of(iov), true);
    }

    /**
     * send(2): blocking, it returns once every byte is in the send buffer (Linux tcp_sendmsg());
     * with MSG_DONTWAIT or O_NONBLOCK what fits, EAGAIN when nothing does. MSG_MORE holds a
     * short last segment as TCP_CORK would, for this call. MSG_OOB makes the last byte sent
     * urgent (RFC 9293 §3.8.5, Linux tcp_mark_urg()). There are no signals: EPIPE is returned as
     * with MSG_NOSIGNAL.
     */
    public long send(int fd, byte[] buf, int off, int len, int flags) {
        return sendto(fd, buf, off, len, flags, null);
    }

    /**
     * sendto(2): on UDP one datagram to {@code to}, or to the connected peer when null
     * ({@link DatagramIo#send}); a TCP socket ignores {@code to}, as Linux does on a connected one.
     */
    public long sendto(int fd, byte[] buf, int off, int len, int flags, SockAddr to) {
        Objects.checkFromIndexSize(off, len, buf.length);
        return data.send(fd, IoVector.of(buf, off, len), flags, to);
    }

    /**
     * sendmsg(2): send(2) of {@code msg.iov}; the name is ignored on TCP and is the destination on
     * UDP; more than IOV_MAX buffers is EMSGSIZE.
     */
    public long sendmsg(int fd, MsgHdr msg, int flags) {
        return data.sendmsg(fd, msg, flags);
    }

    /** shutdown(2): SHUT_RD, SHUT_WR, SHUT_RDWR; wakes the calls blocked on the socket. */
    public int shutdown(int fd, int how) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.shutdown(u, how);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> calls.shutdown(s, how, now)));
    }

    /** close(2); with SO_LINGER on and a time, it may wait for the FIN to be acknowledged (socket(7)). */
    public int close(int fd) {
        OpenFile f = files.remove(fd);
        if (f == null) {
            return fail(Errno.EBADF);
        } else if (f instanceof TcpSocket s) {
            data.close(s);
        } else {
            onStack(now -> {
                if (f instanceof UdpSocket u) {
                    datagrams.close(u);
                } else if (f instanceof Epoll e) {
                    e.release();
                }
                return 0;
            });
            f.waiters().wakeAll();
        }
        return 0;
    }

    /** getsockname(2): an AF_INET6 socket's name is mapped, or {@code ::} while bound to it or unbound. */
    public int getsockname(int fd, SockAddr addr) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return datagrams.sockName(u, addr);
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> {
            calls.sockName(s, addr);
            return 0;
        }));
    }

    public int getpeername(int fd, SockAddr addr) {
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

    /**
     * setsockopt(2) with an int value (optlen 4): options taking a struct (SO_LINGER,
     * SO_RCVTIMEO) find it too short, EINVAL, as in C.
     */
    public int setsockopt(int fd, int level, int name, int value) {
        return setsockopt(fd, level, name, OptionBytes.fromInt(value), Integer.BYTES);
    }

    /**
     * setsockopt(2) in the C form: {@code optlen} bytes of {@code optval} in the machine's byte
     * order; TCP_CONGESTION takes a name ("cubic", "reno"; ENOENT for others). EINVAL for a
     * negative optlen or one shorter than the option's value, EFAULT for one past optval.
     */
    public int setsockopt(int fd, int level, int name, byte[] optval, int optlen) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return result(onStack(now -> OptionBytes.set(u, level, name, optval, optlen, limits)));
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now -> OptionBytes.set(s, level, name, optval, optlen, limits, now)));
    }

    /** setsockopt(2) of SO_LINGER with a {@code struct linger}. */
    public int setsockopt(int fd, int level, int name, Linger value) {
        byte[] b = new byte[8];
        System.arraycopy(OptionBytes.fromInt(value.onoff()), 0, b, 0, 4);
        System.arraycopy(OptionBytes.fromInt(value.linger()), 0, b, 4, 4);
        return setsockopt(fd, level, name, b, b.length);
    }

    /** setsockopt(2) with a struct timeval: SO_RCVTIMEO, SO_SNDTIMEO. */
    public int setsockopt(int fd, int level, int name, Timeval value) {
        SocketSettings o = settingsOf(fd);
        return o == null ? -1 : result(onStack(now -> SocketOptionCalls.setTimeout(o, level, name, value)));
    }

    /**
     * getsockopt(2) of an int option into {@code value[0]} (optlen 4): of an option with a larger
     * value, its first four bytes, as in C.
     */
    public int getsockopt(int fd, int level, int name, int[] value) {
        byte[] b = new byte[Integer.BYTES];
        int[] len = {b.length};
        int r = getsockopt(fd, level, name, b, len);
        if (r == 0) {
            value[0] = OptionBytes.toInt(b, len[0]);
        }
        return r;
    }

    /**
     * getsockopt(2) in the C form: at most {@code optlen[0]} bytes of the value into optval, and
     * their count into optlen[0]; TCP_CONGESTION gives the name in a 16-byte NUL-padded field,
     * IPPROTO_TCP TCP_INFO {@link io.tcpsim.tcp.TcpInfo}'s bytes (Linux's struct tcp_info).
     * EINVAL for a negative optlen, EFAULT for one past optval.
     */
    public int getsockopt(int fd, int level, int name, byte[] optval, int[] optlen) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return result(onStack(now -> OptionBytes.get(u, level, name, optval, optlen)));
        }
        TcpSocket s = socketOf(fd);
        return s == null ? -1 : result(onStack(now ->
                OptionBytes.get(s, level, name, optval, optlen, stack.tcp().config(), now)));
    }

    /** getsockopt(2) of SO_LINGER into {@code value[0]}. */
    public int getsockopt(int fd, int level, int name, Linger[] value) {
        byte[] b = new byte[8];
        int[] len = {b.length};
        int r = getsockopt(fd, level, name, b, len);
        if (r == 0) {
            byte[] second = new byte[4];
            System.arraycopy(b, 4, second, 0, 4);
            value[0] = new Linger(OptionBytes.toInt(b, Math.min(len[0], 4)), OptionBytes.toInt(second, Math.max(0, len[0] - 4)));
        }
        return r;
    }

    /** getsockopt(2) of SO_RCVTIMEO or SO_SNDTIMEO into {@code value[0]}. */
    public int getsockopt(int fd, int level, int name, Timeval[] value) {
        SocketSettings o = settingsOf(fd);
        if (o == null) {
            return -1;
        }
        Timeval tv = SocketOptionCalls.getTimeout(o, level, name);
        if (tv == null) {
            return fail(level == SocketConstants.SOL_SOCKET ? Errno.EINVAL : Errno.ENOPROTOOPT);
        }
        value[0] = tv;
        return 0;
    }

    /**
     * ioctl(2) SIOCINQ (FIONREAD; up to the urgent mark while urgent data is pending), SIOCOUTQ,
     * SIOCOUTQNSD into {@code value[0]}; EINVAL when listening. SIOCATMARK: 1 at the urgent mark,
     * else 0. A UDP socket: {@link DatagramCalls#ioctl}.
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

    /** The options of a TCP or UDP socket fd, or null with errno set as {@link #socketOf} sets it. */
    private SocketSettings settingsOf(int fd) {
        if (udpOf(fd) instanceof UdpSocket u) {
            return u.settings;
        }
        TcpSocket s = socketOf(fd);
        return s == null ? null : s.settings;
    }

    /** The stack's time, for tasks queued without waiting. */
    long now() {
        return clock.nanoTime();
    }

    /** Runs op on the stack thread with the stack's time and waits for its result. */
    <T> T onStack(LongFunction<T> op) {
        return CompletableFuture.supplyAsync(() -> op.apply(clock.nanoTime()), stack).join();
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
