package io.tcpsim.tun;

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
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * FFM bindings to the handful of glibc calls this module needs.
 *
 * <p>Every call captures {@code errno} ({@link Linker.Option#captureCallState}) into a per-thread
 * native slot, retries {@code EINTR} (except {@code close(2)}, which Linux never restarts: the
 * descriptor is released even when it reports EINTR), and reports any other failure as a
 * {@link NativeException}. {@code read}/{@code write} report {@code EAGAIN} as
 * {@link #WOULD_BLOCK} instead, because it is the normal outcome of a non-blocking descriptor.
 *
 * <p>{@code open}, {@code ioctl} and {@code fcntl} are variadic in C, so they are linked with
 * {@link Linker.Option#firstVariadicArg} (x86-64 SysV passes the vector-register count in
 * {@code %al} for variadic calls).
 */
final class Libc {
    /** {@code open(2)} flags, {@code <asm-generic/fcntl.h>}. */
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    /** {@code fcntl(2)} commands, {@code <asm-generic/fcntl.h>}. */
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    /** {@code poll(2)} event bits, {@code <asm-generic/poll.h>}. */
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    /** {@code setns(2)} namespace type, {@code <linux/sched.h>}. */
    static final int CLONE_NEWNET = 0x40000000;

    /** What {@link #read} and {@link #write} return when the descriptor would block. */
    static final long WOULD_BLOCK = -1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_CAPTURE = Linker.Option.captureCallState("errno");
    private static final Linker.Option VARIADIC_AT_2 = Linker.Option.firstVariadicArg(2);
    private static final Linker.Option HEAP_ACCESS = Linker.Option.critical(true);

    /** {@code struct pollfd} from {@code <poll.h>}: int fd, short events, short revents. */
    private static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    private static final long POLLFD_EVENTS = 4;
    private static final long POLLFD_REVENTS = 6;

    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO_CAPTURE, VARIADIC_AT_2);
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_CAPTURE);
    private static final MethodHandle READ_HEAP = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_CAPTURE, HEAP_ACCESS);
    private static final MethodHandle READV = downcall("readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), ERRNO_CAPTURE);
    /** {@code struct iovec} from {@code <sys/uio.h>}: void *iov_base, size_t iov_len. */
    private static final long IOVEC_SIZE = 16;
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_CAPTURE);
    private static final MethodHandle WRITE_HEAP = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_CAPTURE, HEAP_ACCESS);
    private static final MethodHandle IOCTL_POINTER = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO_CAPTURE, VARIADIC_AT_2);
    private static final MethodHandle IOCTL_VALUE = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO_CAPTURE, VARIADIC_AT_2);
    private static final MethodHandle FCNTL = downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_CAPTURE, VARIADIC_AT_2);
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** {@code eventfd(2)} flags, {@code <sys/eventfd.h>}. */
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    /** Per-thread native scratch memory, so the hot calls allocate nothing (two pollfds for {@link #pollTwo}). */
    private record Scratch(MemorySegment callState, MemorySegment pollFd, MemorySegment iovecs) {
        static Scratch allocate() {
            Arena arena = Arena.ofAuto();
            return new Scratch(arena.allocate(CALL_STATE), arena.allocate(POLLFD, 2), arena.allocate(2 * IOVEC_SIZE, 8));
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::allocate);

    /** One invocation of a downcall; the argument is the errno capture segment. */
    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment callState) throws Throwable;
    }

    private Libc() {
    }

    /** {@code open(2)}; returns the new descriptor. */
    static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            return (int) check("open(" + path + ")",
                    retrying(state -> (int) OPEN.invokeExact(state, cPath, flags, 0)));
        }
    }

    /** {@code close(2)}, not retried on EINTR (Linux has released the descriptor by then). */
    static void close(int fd) throws NativeException {
        MemorySegment state = SCRATCH.get().callState();
        if (invoke(s -> (int) CLOSE.invokeExact(s, fd), state) == -1) {
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new NativeException("close(" + fd + ")", errno);
            }
        }
    }

    /**
     * {@code read(2)} into {@code dst}; a heap segment is passed without copying, so the caller must
     * only pass one when the descriptor is non-blocking.
     *
     * @return bytes read, or {@link #WOULD_BLOCK} on EAGAIN
     */
    static long read(int fd, MemorySegment dst) throws NativeException {
        // A loop of its own, not retrying(): a lambda capturing fd and dst would be an allocation per packet.
        MemorySegment state = SCRATCH.get().callState();
        while (true) {
            long result = readOnce(state, fd, dst);
            if (result != -1) {
                return wouldBlockOrCheck(fd, "read", result);
            } else if (errno(state) != Errno.EINTR) {
                return wouldBlockOrCheck(fd, "read", -errno(state));
            }
        }
    }

    /**
     * {@code readv(2)} of one packet into {@code first} then {@code second}, both native: a TUN's
     * vnet header into a buffer of its own and the packet straight into the caller's, with no copy
     * between them ({@code tun_chr_read_iter()} fills the iovecs in order).
     *
     * @return bytes read into both, or {@link #WOULD_BLOCK} on EAGAIN
     */
    static long readv(int fd, MemorySegment first, MemorySegment second) throws NativeException {
        Scratch scratch = SCRATCH.get();
        MemorySegment iov = scratch.iovecs();
        iov.set(ADDRESS, 0, first);
        iov.set(JAVA_LONG, 8, first.byteSize());
        iov.set(ADDRESS, IOVEC_SIZE, second);
        iov.set(JAVA_LONG, IOVEC_SIZE + 8, second.byteSize());
        MemorySegment state = scratch.callState();
        while (true) {
            long result;
            try {
                result = (long) READV.invokeExact(state, fd, iov, 2);
            } catch (Throwable t) {
                throw propagate(t);
            }
            if (result != -1) {
                return wouldBlockOrCheck(fd, "readv", result);
            } else if (errno(state) != Errno.EINTR) {
                return wouldBlockOrCheck(fd, "readv", -errno(state));
            }
        }
    }

    private static long readOnce(MemorySegment state, int fd, MemorySegment dst) {
        try {
            return dst.isNative()
                    ? (long) READ.invokeExact(state, fd, dst, dst.byteSize())
                    : (long) READ_HEAP.invokeExact(state, fd, dst, dst.byteSize());
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * {@code write(2)} from {@code src}; the same heap rule as {@link #read} applies.
     *
     * @return bytes written, or {@link #WOULD_BLOCK} on EAGAIN
     */
    static long write(int fd, MemorySegment src) throws NativeException {
        // As read(): no capturing lambda per packet.
        MemorySegment state = SCRATCH.get().callState();
        while (true) {
            long result = writeOnce(state, fd, src);
            if (result != -1) {
                return wouldBlockOrCheck(fd, "write", result);
            } else if (errno(state) != Errno.EINTR) {
                return wouldBlockOrCheck(fd, "write", -errno(state));
            }
        }
    }

    private static long writeOnce(MemorySegment state, int fd, MemorySegment src) {
        try {
            return src.isNative()
                    ? (long) WRITE.invokeExact(state, fd, src, src.byteSize())
                    : (long) WRITE_HEAP.invokeExact(state, fd, src, src.byteSize());
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** {@code ioctl(2)} whose argument is a pointer to {@code arg}. */
    static int ioctl(int fd, long request, MemorySegment arg, String operation) throws NativeException {
        return (int) check(operation,
                retrying(state -> (int) IOCTL_POINTER.invokeExact(state, fd, request, arg)));
    }

    /** {@code ioctl(2)} whose argument is passed by value (an {@code unsigned long}). */
    static int ioctl(int fd, long request, long arg, String operation) throws NativeException {
        return (int) check(operation,
                retrying(state -> (int) IOCTL_VALUE.invokeExact(state, fd, request, arg)));
    }

    /** {@code fcntl(2)} with an {@code int} argument (ignored by {@code F_GETFL}). */
    static int fcntl(int fd, int command, int arg) throws NativeException {
        return (int) check("fcntl(" + fd + ", " + command + ")",
                retrying(state -> (int) FCNTL.invokeExact(state, fd, command, arg)));
    }

    /**
     * {@code poll(2)} on one descriptor. After EINTR it polls again for the time that is left.
     *
     * @param timeoutMillis negative waits forever, as in poll(2)
     * @return the {@code revents} bits, 0 on timeout
     */
    static short poll(int fd, short events, long timeoutMillis) throws NativeException {
        MemorySegment pollFd = SCRATCH.get().pollFd();
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, POLLFD_EVENTS, events);
        pollFd.set(JAVA_SHORT, POLLFD_REVENTS, (short) 0);
        long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
        long ready = check("poll(" + fd + ")", retrying(state -> (int) POLL.invokeExact(state, pollFd, 1L,
                timeoutMillis < 0 ? -1 : remainingMillis(deadline))));
        return ready == 0 ? 0 : pollFd.get(JAVA_SHORT, POLLFD_REVENTS);
    }

    /**
     * {@code poll(2)} on two descriptors for the same events, e.g. a device and its {@link Wakeup}.
     * After EINTR it polls again for the time that is left.
     *
     * @return the first descriptor's {@code revents} in the low 16 bits, the second's in the next 16
     */
    static int pollTwo(int fd1, int fd2, short events, long timeoutMillis) throws NativeException {
        MemorySegment pollFds = SCRATCH.get().pollFd();
        long size = POLLFD.byteSize();
        for (int i = 0; i < 2; i++) {
            pollFds.set(JAVA_INT, i * size, i == 0 ? fd1 : fd2);
            pollFds.set(JAVA_SHORT, i * size + POLLFD_EVENTS, events);
            pollFds.set(JAVA_SHORT, i * size + POLLFD_REVENTS, (short) 0);
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
        // A loop of its own, not retrying(): a lambda capturing the deadline would be an
        // allocation per wait, and the stack thread waits between bursts of packets.
        MemorySegment state = SCRATCH.get().callState();
        long ready;
        while (true) {
            ready = pollOnce(state, pollFds, timeoutMillis < 0 ? -1 : remainingMillis(deadline));
            if (ready != -1) {
                break;
            } else if (errno(state) != Errno.EINTR) {
                ready = -errno(state);
                break;
            }
        }
        if (ready < 0) {
            // The message only on failure: the stack thread polls once per loop.
            throw new NativeException("poll(" + fd1 + ", " + fd2 + ")", (int) -ready);
        }
        if (ready == 0) {
            return 0;
        }
        return (pollFds.get(JAVA_SHORT, POLLFD_REVENTS) & 0xFFFF)
                | (pollFds.get(JAVA_SHORT, size + POLLFD_REVENTS) & 0xFFFF) << 16;
    }

    private static long pollOnce(MemorySegment state, MemorySegment pollFds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(state, pollFds, 2L, timeoutMillis);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** {@code eventfd(2)}; returns the new descriptor. */
    static int eventfd(int initval, int flags) throws NativeException {
        return (int) check("eventfd", retrying(state -> (int) EVENTFD.invokeExact(state, initval, flags)));
    }

    /** {@code setns(2)}: moves the calling thread into the namespace {@code fd} refers to. */
    static void setns(int fd, int namespaceType, String operation) throws NativeException {
        check(operation, retrying(state -> (int) SETNS.invokeExact(state, fd, namespaceType)));
    }

    /** {@code strerror(3)}; glibc (2.32+) keeps its buffer per thread. */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    private static int remainingMillis(long deadlineNanos) {
        long nanos = Math.max(0, deadlineNanos - System.nanoTime());
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /** Invokes {@code call} until it does not fail with EINTR; returns its result, or -errno. */
    private static long retrying(Call call) {
        MemorySegment state = SCRATCH.get().callState();
        while (true) {
            long result = invoke(call, state);
            if (result != -1) {
                return result;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                return -errno;
            }
        }
    }

    private static long invoke(Call call, MemorySegment state) {
        try {
            return call.invoke(state);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    private static long check(String operation, long result) throws NativeException {
        if (result < 0) {
            throw new NativeException(operation, (int) -result);
        }
        return result;
    }

    /** The operation's name is built only on failure: read and write run once per packet. */
    private static long wouldBlockOrCheck(int fd, String call, long result) throws NativeException {
        if (result == -Errno.EAGAIN) {
            return WOULD_BLOCK;
        }
        if (result < 0) {
            throw new NativeException(call + "(" + fd + ")", (int) -result);
        }
        return result;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A downcall only throws what the JVM throws (linkage or type errors): unchecked. */
    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
