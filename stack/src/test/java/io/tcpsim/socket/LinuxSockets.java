package io.tcpsim.socket;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@link Sockets} over the Linux kernel: glibc's socket calls through FFM with errno captured.
 * Call it on a platform thread inside the test's namespace. send() always adds MSG_NOSIGNAL (the
 * JVM must not meet SIGPIPE; tcpsim has no signals). Errno is the last failed call's, per instance.
 */
final class LinuxSockets implements Sockets {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int SOCKADDR_IN = 16;
    private static final int SO_LINGER = 13;
    private static final int TCP_INFO = 11;

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = handle("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = handle("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = handle("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = handle("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = handle("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = handle("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FCNTL = handle("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = handle("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READV = handle("readv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITEV = handle("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG = handle("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = handle("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = handle("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = handle("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = handle("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle CAPGET = handle("capget", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CAPSET = handle("capset", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETRLIMIT = handle("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = handle("setrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final int SOCKADDR_IN6 = 28;
    private static final int IOVEC = 16;
    private static final int MSGHDR = 56;
    /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    private static final boolean PACKED_EPOLL = System.getProperty("os.arch").equals("amd64");
    private static final int EPOLL_EVENT = PACKED_EPOLL ? 12 : 16;
    private static final ValueLayout.OfLong DATA = JAVA_LONG.withByteAlignment(PACKED_EPOLL ? 4 : 8);
    private static final int CAP_NET_RAW = 13;
    private static final int CAPABILITY_VERSION_3 = 0x20080522;
    private static final int RLIMIT_NOFILE = 7;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment state = arena.allocate(STATE);
    private int errno;

    @Override
    public int errno() {
        return errno;
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return (int) call(() -> (int) SOCKET.invokeExact(state, domain, type, protocol));
    }

    @Override
    public int bind(int fd, int addr, int port) {
        MemorySegment sa = sockaddr(addr, port);
        return (int) call(() -> (int) BIND.invokeExact(state, fd, sa, SOCKADDR_IN));
    }

    @Override
    public int listen(int fd, int backlog) {
        return (int) call(() -> (int) LISTEN.invokeExact(state, fd, backlog));
    }

    @Override
    public int accept4(int fd, int flags) {
        return (int) call(() -> (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, flags));
    }

    @Override
    public int connect(int fd, int addr, int port) {
        MemorySegment sa = sockaddr(addr, port);
        return (int) call(() -> (int) CONNECT.invokeExact(state, fd, sa, SOCKADDR_IN));
    }

    @Override
    public long recv(int fd, byte[] buf, int len, int flags) {
        MemorySegment native_ = arena.allocate(Math.max(1, len));
        long r = call(() -> (long) RECV.invokeExact(state, fd, native_, (long) len, flags));
        if (r > 0) {
            MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) Math.min(r, len)); // MSG_TRUNC: r > len
        }
        return r;
    }

    @Override
    public long send(int fd, byte[] buf, int len, int flags) {
        MemorySegment native_ = arena.allocate(Math.max(1, len));
        MemorySegment.copy(buf, 0, native_, ValueLayout.JAVA_BYTE, 0, len);
        int f = flags | SocketConstants.MSG_NOSIGNAL;
        return call(() -> (long) SEND.invokeExact(state, fd, native_, (long) len, f));
    }

    @Override
    public int shutdown(int fd, int how) {
        return (int) call(() -> (int) SHUTDOWN.invokeExact(state, fd, how));
    }

    @Override
    public int close(int fd) {
        return (int) call(() -> (int) CLOSE.invokeExact(state, fd));
    }

    @Override
    public int getsockname(int fd, int[] name) {
        return name(GETSOCKNAME, fd, name);
    }

    @Override
    public int getpeername(int fd, int[] name) {
        return name(GETPEERNAME, fd, name);
    }

    private int name(MethodHandle h, int fd, int[] name) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, SOCKADDR_IN);
        int r = (int) call(() -> (int) h.invokeExact(state, fd, sa, len));
        name[0] = sa.get(NET_INT, 4);
        name[1] = sa.get(NET_SHORT, 2) & 0xFFFF;
        return r;
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return (int) call(() -> (int) FCNTL.invokeExact(state, fd, cmd, arg));
    }

    @Override
    public int setsockopt(int fd, int level, int option, int value) {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        return (int) call(() -> (int) SETSOCKOPT.invokeExact(state, fd, level, option, v, 4));
    }

    @Override
    public int getsockopt(int fd, int level, int option) {
        MemorySegment v = arena.allocate(JAVA_INT);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, 4);
        int r = (int) call(() -> (int) GETSOCKOPT.invokeExact(state, fd, level, option, v, len));
        return r < 0 ? r : v.get(JAVA_INT, 0);
    }

    @Override
    public int setTimeout(int fd, int option, long sec, long usec) {
        MemorySegment tv = arena.allocate(16);
        tv.set(JAVA_LONG, 0, sec);
        tv.set(JAVA_LONG, 8, usec);
        return (int) call(() -> (int) SETSOCKOPT.invokeExact(state, fd, SocketConstants.SOL_SOCKET, option, tv, 16));
    }

    @Override
    public int getTimeout(int fd, int option, long[] timeval) {
        MemorySegment tv = arena.allocate(16);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, 16);
        int r = (int) call(() -> (int) GETSOCKOPT.invokeExact(state, fd, SocketConstants.SOL_SOCKET, option, tv, len));
        timeval[0] = tv.get(JAVA_LONG, 0);
        timeval[1] = tv.get(JAVA_LONG, 8);
        return r;
    }

    /** SO_LINGER {on, 0}: the next close() sends a RST. */
    int lingerZero(int fd) {
        MemorySegment l = arena.allocate(8);
        l.set(JAVA_INT, 0, 1);
        l.set(JAVA_INT, 4, 0);
        return (int) call(() -> (int) SETSOCKOPT.invokeExact(state, fd, SocketConstants.SOL_SOCKET, SO_LINGER, l, 8));
    }

    @Override
    public int fionread(int fd) {
        MemorySegment v = arena.allocate(JAVA_INT);
        int r = (int) call(() -> (int) IOCTL.invokeExact(state, fd, (long) SocketConstants.FIONREAD, v));
        return r < 0 ? r : v.get(JAVA_INT, 0);
    }

    @Override
    public int sockatmark(int fd) {
        MemorySegment v = arena.allocate(JAVA_INT);
        int r = (int) call(() -> (int) IOCTL.invokeExact(state, fd, (long) SocketConstants.SIOCATMARK, v));
        return r < 0 ? r : v.get(JAVA_INT, 0);
    }

    @Override
    public int poll(int fd, int events, int timeoutMillis) {
        MemorySegment p = arena.allocate(8);
        p.set(JAVA_INT, 0, fd);
        p.set(JAVA_SHORT, 4, (short) events);
        int r = (int) call(() -> (int) POLL.invokeExact(state, p, 1L, timeoutMillis));
        return r <= 0 ? r : p.get(JAVA_SHORT, 6) & 0xFFFF;
    }

    @Override
    public long sendto(int fd, byte[] buf, int len, int flags, int addr, int port) {
        MemorySegment native_ = arena.allocate(Math.max(1, len));
        MemorySegment.copy(buf, 0, native_, ValueLayout.JAVA_BYTE, 0, len);
        MemorySegment sa = sockaddr(addr, port);
        int f = flags | SocketConstants.MSG_NOSIGNAL;
        return call(() -> (long) SENDTO.invokeExact(state, fd, native_, (long) len, f, sa, SOCKADDR_IN));
    }

    @Override
    public long recvfrom(int fd, byte[] buf, int len, int flags, int[] from) {
        MemorySegment native_ = arena.allocate(Math.max(1, len));
        MemorySegment sa = arena.allocate(SOCKADDR_IN);
        MemorySegment salen = arena.allocate(JAVA_INT);
        salen.set(JAVA_INT, 0, SOCKADDR_IN);
        long r = call(() -> (long) RECVFROM.invokeExact(state, fd, native_, (long) len, flags, sa, salen));
        if (r >= 0) {
            MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) Math.min(r, len));
            from[0] = sa.get(NET_INT, 4);
            from[1] = sa.get(NET_SHORT, 2) & 0xFFFF;
        }
        return r;
    }

    @Override
    public int disconnect(int fd) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN);
        sa.set(JAVA_SHORT, 0, (short) SocketConstants.AF_UNSPEC);
        return (int) call(() -> (int) CONNECT.invokeExact(state, fd, sa, SOCKADDR_IN));
    }

    @Override
    public long read(int fd, byte[] buf, int len) {
        MemorySegment native_ = arena.allocate(Math.max(1, len));
        long r = call(() -> (long) READ.invokeExact(state, fd, native_, (long) len));
        if (r > 0) {
            MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) r);
        }
        return r;
    }

    @Override
    public long write(int fd, byte[] buf, int len) {
        MemorySegment native_ = arena.allocate(Math.max(1, len));
        MemorySegment.copy(buf, 0, native_, ValueLayout.JAVA_BYTE, 0, len);
        return call(() -> (long) WRITE.invokeExact(state, fd, native_, (long) len));
    }

    @Override
    public long readv(int fd, byte[][] bufs) {
        MemorySegment iov = iovecs(bufs, false);
        long r = call(() -> (long) READV.invokeExact(state, fd, iov, bufs.length));
        scatter(iov, bufs, r);
        return r;
    }

    @Override
    public long writev(int fd, byte[][] bufs) {
        MemorySegment iov = iovecs(bufs, true);
        return call(() -> (long) WRITEV.invokeExact(state, fd, iov, bufs.length));
    }

    @Override
    public long sendmsg(int fd, byte[][] bufs, int flags, boolean named) {
        MemorySegment msg = arena.allocate(MSGHDR);
        MemorySegment iov = iovecs(bufs, true);
        if (named) {
            msg.set(ADDRESS, 0, sockaddr(0x0A090909, 9));
            msg.set(JAVA_INT, 8, SOCKADDR_IN);
        }
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, bufs.length);
        int f = flags | SocketConstants.MSG_NOSIGNAL;
        return call(() -> (long) SENDMSG.invokeExact(state, fd, msg, f));
    }

    @Override
    public long recvmsg(int fd, byte[][] bufs, int flags, int[] out) {
        MemorySegment msg = arena.allocate(MSGHDR);
        MemorySegment iov = iovecs(bufs, false);
        msg.set(ADDRESS, 0, arena.allocate(128));
        msg.set(JAVA_INT, 8, 128);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, bufs.length);
        msg.set(ADDRESS, 32, arena.allocate(64));
        msg.set(JAVA_LONG, 40, 64);
        msg.set(JAVA_INT, 48, 0x7777);
        long r = call(() -> (long) RECVMSG.invokeExact(state, fd, msg, flags));
        scatter(iov, bufs, r);
        out[0] = msg.get(JAVA_INT, 8);
        out[1] = (int) msg.get(JAVA_LONG, 40);
        out[2] = msg.get(JAVA_INT, 48);
        return r;
    }

    private MemorySegment iovecs(byte[][] bufs, boolean fill) {
        MemorySegment iov = arena.allocate((long) IOVEC * Math.max(1, bufs.length));
        for (int i = 0; i < bufs.length; i++) {
            MemorySegment b = arena.allocate(Math.max(1, bufs[i].length));
            if (fill) {
                MemorySegment.copy(bufs[i], 0, b, ValueLayout.JAVA_BYTE, 0, bufs[i].length);
            }
            iov.set(ADDRESS, (long) IOVEC * i, b);
            iov.set(JAVA_LONG, (long) IOVEC * i + 8, bufs[i].length);
        }
        return iov;
    }

    private static void scatter(MemorySegment iov, byte[][] bufs, long count) {
        long left = count;
        for (int i = 0; i < bufs.length && left > 0; i++) {
            int n = (int) Math.min(left, bufs[i].length);
            MemorySegment b = iov.get(ADDRESS, (long) IOVEC * i).reinterpret(Math.max(1, bufs[i].length));
            MemorySegment.copy(b, ValueLayout.JAVA_BYTE, 0, bufs[i], 0, n);
            left -= n;
        }
    }

    @Override
    public int setsockopt(int fd, int level, int option, byte[] optval, int optlen) {
        MemorySegment v = arena.allocate(Math.max(1, optval.length));
        MemorySegment.copy(optval, 0, v, ValueLayout.JAVA_BYTE, 0, optval.length);
        return (int) call(() -> (int) SETSOCKOPT.invokeExact(state, fd, level, option, v, optlen));
    }

    @Override
    public int getsockopt(int fd, int level, int option, byte[] optval, int[] optlen) {
        MemorySegment v = arena.allocate(Math.max(1, optval.length));
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, optlen[0]);
        int r = (int) call(() -> (int) GETSOCKOPT.invokeExact(state, fd, level, option, v, len));
        if (r == 0) {
            optlen[0] = len.get(JAVA_INT, 0);
            MemorySegment.copy(v, ValueLayout.JAVA_BYTE, 0, optval, 0, Math.min(optlen[0], optval.length));
        }
        return r;
    }

    @Override
    public int setLinger(int fd, int onoff, int seconds) {
        MemorySegment l = arena.allocate(8);
        l.set(JAVA_INT, 0, onoff);
        l.set(JAVA_INT, 4, seconds);
        return (int) call(() -> (int) SETSOCKOPT.invokeExact(state, fd, SocketConstants.SOL_SOCKET, SO_LINGER, l, 8));
    }

    @Override
    public int getLinger(int fd, int[] linger) {
        MemorySegment l = arena.allocate(8);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, 8);
        int r = (int) call(() -> (int) GETSOCKOPT.invokeExact(state, fd, SocketConstants.SOL_SOCKET, SO_LINGER, l, len));
        linger[0] = l.get(JAVA_INT, 0);
        linger[1] = l.get(JAVA_INT, 4);
        return r;
    }

    @Override
    public int bind6(int fd, byte[] addr, int port, int scopeId) {
        MemorySegment sa = sockaddr6(addr, port, scopeId);
        return (int) call(() -> (int) BIND.invokeExact(state, fd, sa, SOCKADDR_IN6));
    }

    @Override
    public int connect6(int fd, byte[] addr, int port, int scopeId) {
        MemorySegment sa = sockaddr6(addr, port, scopeId);
        return (int) call(() -> (int) CONNECT.invokeExact(state, fd, sa, SOCKADDR_IN6));
    }

    @Override
    public int accept6(int fd, byte[] addr, int[] name) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN6);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, SOCKADDR_IN6);
        int r = (int) call(() -> (int) ACCEPT4.invokeExact(state, fd, sa, len, 0));
        readName6(sa, addr, name);
        return r;
    }

    @Override
    public int getsockname6(int fd, byte[] addr, int[] name) {
        return name6(GETSOCKNAME, fd, addr, name);
    }

    @Override
    public int getpeername6(int fd, byte[] addr, int[] name) {
        return name6(GETPEERNAME, fd, addr, name);
    }

    private int name6(MethodHandle h, int fd, byte[] addr, int[] name) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN6);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, SOCKADDR_IN6);
        int r = (int) call(() -> (int) h.invokeExact(state, fd, sa, len));
        readName6(sa, addr, name);
        return r;
    }

    private static void readName6(MemorySegment sa, byte[] addr, int[] name) {
        name[0] = sa.get(JAVA_SHORT, 0);
        name[1] = sa.get(NET_SHORT, 2) & 0xFFFF;
        MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, 8, addr, 0, 16);
    }

    private MemorySegment sockaddr6(byte[] addr, int port, int scopeId) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN6);
        sa.set(JAVA_SHORT, 0, (short) SocketConstants.AF_INET6);
        sa.set(NET_SHORT, 2, (short) port);
        MemorySegment.copy(addr, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
        sa.set(JAVA_INT, 24, scopeId);
        return sa;
    }

    @Override
    public int ioctl(int fd, int request) {
        MemorySegment v = arena.allocate(JAVA_INT);
        int r = (int) call(() -> (int) IOCTL.invokeExact(state, fd, (long) request, v));
        return r < 0 ? r : v.get(JAVA_INT, 0);
    }

    @Override
    public int epollCreate1(int flags) {
        return (int) call(() -> (int) EPOLL_CREATE1.invokeExact(state, flags));
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, EpollEvent event) {
        MemorySegment ev = MemorySegment.NULL;
        if (event != null) {
            ev = arena.allocate(EPOLL_EVENT);
            ev.set(JAVA_INT, 0, event.events);
            ev.set(DATA, PACKED_EPOLL ? 4 : 8, event.data);
        }
        MemorySegment e = ev;
        return (int) call(() -> (int) EPOLL_CTL.invokeExact(state, epfd, op, fd, e));
    }

    @Override
    public int epollWait(int epfd, int maxEvents, int timeoutMillis, int[] events, long[] data) {
        MemorySegment out = arena.allocate((long) EPOLL_EVENT * Math.max(1, events.length));
        int r = (int) call(() -> (int) EPOLL_WAIT.invokeExact(state, epfd, out, maxEvents, timeoutMillis));
        for (int i = 0; i < r; i++) {
            events[i] = out.get(JAVA_INT, (long) EPOLL_EVENT * i);
            data[i] = out.get(DATA, (long) EPOLL_EVENT * i + (PACKED_EPOLL ? 4 : 8));
        }
        return r;
    }

    /**
     * TCP_INFO of a kernel socket: {snd_wscale, rcv_wscale, snd_wnd} (struct tcp_info: the
     * scales share byte 6, tcpi_snd_wnd is at 228 since Linux 6.2). The window the other side
     * last advertised, as this socket saw it.
     */
    int[] tcpInfo(int fd) {
        MemorySegment info = arena.allocate(256);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, 256);
        int r = (int) call(() -> (int) GETSOCKOPT.invokeExact(state, fd, SocketConstants.IPPROTO_TCP, TCP_INFO, info, len));
        if (r < 0 || len.get(JAVA_INT, 0) < 232) {
            throw new IllegalStateException("TCP_INFO: errno " + errno + ", length " + len.get(JAVA_INT, 0));
        }
        int scales = info.get(ValueLayout.JAVA_BYTE, 6) & 0xFF;
        return new int[] {scales & 0xF, scales >>> 4, info.get(JAVA_INT, 228)};
    }

    /**
     * Runs task with CAP_NET_RAW dropped from this thread's effective set (capabilities are per
     * thread in Linux), as an unprivileged caller, and raises it again afterwards.
     */
    <T> T withoutRawCapability(java.util.function.Supplier<T> task) {
        MemorySegment header = arena.allocate(8);
        header.set(JAVA_INT, 0, CAPABILITY_VERSION_3);
        MemorySegment data = arena.allocate(24);
        if (call(() -> (int) CAPGET.invokeExact(state, header, data)) != 0) {
            throw new IllegalStateException("capget errno " + errno);
        }
        int effective = data.get(JAVA_INT, 0);
        data.set(JAVA_INT, 0, effective & ~(1 << CAP_NET_RAW));
        if (call(() -> (int) CAPSET.invokeExact(state, header, data)) != 0) {
            throw new IllegalStateException("capset errno " + errno);
        }
        try {
            return task.get();
        } finally {
            data.set(JAVA_INT, 0, effective);
            header.set(JAVA_INT, 4, 0);
            call(() -> (int) CAPSET.invokeExact(state, header, data));
        }
    }

    /** RLIMIT_NOFILE's soft limit. */
    long openFileLimit() {
        MemorySegment rl = arena.allocate(16);
        call(() -> (int) GETRLIMIT.invokeExact(state, RLIMIT_NOFILE, rl));
        return rl.get(JAVA_LONG, 0);
    }

    /** Sets RLIMIT_NOFILE's soft limit (of the whole JVM: keep the window short). */
    int setOpenFileLimit(long soft) {
        MemorySegment rl = arena.allocate(16);
        call(() -> (int) GETRLIMIT.invokeExact(state, RLIMIT_NOFILE, rl));
        rl.set(JAVA_LONG, 0, soft);
        return (int) call(() -> (int) SETRLIMIT.invokeExact(state, RLIMIT_NOFILE, rl));
    }

    private MemorySegment sockaddr(int addr, int port) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN);
        sa.set(JAVA_SHORT, 0, (short) SocketConstants.AF_INET);
        sa.set(NET_SHORT, 2, (short) port);
        sa.set(NET_INT, 4, addr);
        return sa;
    }

    @FunctionalInterface
    private interface Native {
        long call() throws Throwable;
    }

    private long call(Native n) {
        long r;
        try {
            r = n.call();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r == -1) {
            errno = (int) ERRNO.get(state, 0L);
        }
        return r;
    }

    private static MethodHandle handle(String name, FunctionDescriptor d, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, options);
    }
}
