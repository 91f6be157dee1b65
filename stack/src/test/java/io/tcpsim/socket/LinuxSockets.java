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
