package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class NativeExceptionTest {

    @Test
    void messageHasOperationStrerrorAndErrno() {
        NativeException e = new NativeException("open(/nowhere)", Errno.ENOENT);
        assertEquals("open(/nowhere): No such file or directory (errno 2)", e.getMessage());
        assertEquals("open(/nowhere)", e.operation());
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void adviceComesFirst() {
        NativeException e = new NativeException("ioctl(TUNSETIFF, tun0)", Errno.EPERM, "run as root");
        assertEquals("run as root; ioctl(TUNSETIFF, tun0): Operation not permitted (errno 1)", e.getMessage());
    }

    @Test
    void libcCapturesErrnoOfTheFailedCall() {
        NativeException e = assertThrows(NativeException.class,
                () -> Libc.open("/nonexistent/tcpsim", Libc.O_RDONLY));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open(/nonexistent/tcpsim): No such file or directory (errno 2)", e.getMessage());
        NativeException badFd = assertThrows(NativeException.class,
                () -> Libc.read(-1, MemorySegment.ofArray(new byte[1])));
        assertEquals(Errno.EBADF, badFd.errno());
    }

    @Test
    void pollOnAClosedDescriptorReportsPollnval() throws NativeException {
        assertEquals(Libc.POLLNVAL, Libc.poll(1_000_000, Libc.POLLIN, 0));
    }
}
