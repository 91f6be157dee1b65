package io.tcpsim.socket;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The kernel's getsockopt(2) into a buffer and ioctl(2) with an int result, through FFM with
 * errno captured, for comparing TCP_INFO and SIOCOUTQ with tcpsim's ({@link LinuxSockets} has the
 * int forms). Same signatures as {@link SocketApi}'s: -1 and {@link #errno()} on failure.
 */
final class LinuxOptionBytes {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final MethodHandle GETSOCKOPT = LINKER.downcallHandle(LINKER.defaultLookup().find("getsockopt")
            .orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE);
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE, Linker.Option.firstVariadicArg(2));
    /** Room for any struct tcp_info a newer kernel returns. */
    private static final int MAX_OPTION = 1024;

    private int errno;

    int errno() {
        return errno;
    }

    /** getsockopt(fd, level, name, optval, &optlen) with optlen[0] in and out. */
    int getsockopt(int fd, int level, int name, byte[] optval, int[] optlen) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment buf = arena.allocate(MAX_OPTION);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, optlen[0]);
            int r = (int) GETSOCKOPT.invokeExact(state, fd, level, name, buf, len);
            if (r < 0) {
                errno = (int) ERRNO.get(state, 0L);
                return r;
            }
            optlen[0] = len.get(JAVA_INT, 0);
            MemorySegment.copy(buf, JAVA_BYTE, 0, optval, 0, Math.min(optlen[0], optval.length));
            return r;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int ioctl(int fd, int request, int[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment v = arena.allocate(JAVA_INT);
            int r = (int) IOCTL.invokeExact(state, fd, (long) request, v);
            if (r < 0) {
                errno = (int) ERRNO.get(state, 0L);
                return r;
            }
            value[0] = v.get(JAVA_INT, 0);
            return r;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
