package io.tcpsim.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The Java-friendly layer over a {@link SocketApi} descriptor: {@link InputStream} and
 * {@link OutputStream} adapters, and the seeds' {@code readn} / {@code writen} helpers (Stevens,
 * UNIX Network Programming, §3.9). The streams do not own the descriptor: closing the input
 * stream is shutdown(SHUT_RD), closing the output stream is shutdown(SHUT_WR) (the peer reads
 * EOF), and the descriptor stays open until its owner calls {@link SocketApi#close}. A failed
 * call becomes an {@link IOException} naming the call and its errno.
 */
public final class SocketStreams {

    private SocketStreams() {
    }

    public static InputStream input(SocketApi api, int fd) {
        return new In(Objects.requireNonNull(api), fd);
    }

    public static OutputStream output(SocketApi api, int fd) {
        return new Out(Objects.requireNonNull(api), fd);
    }

    /**
     * readn: reads exactly {@code n} bytes unless EOF comes first; returns the count read (less
     * than n only at EOF), or -1 with {@link SocketApi#errno()} set when a read fails before EOF.
     * Unlike recv(MSG_WAITALL) it does not stop at a timeout that interrupted a partial read: an
     * EAGAIN (SO_RCVTIMEO, O_NONBLOCK) fails the call like any other error.
     */
    public static long readn(SocketApi api, int fd, byte[] buf, int off, int n) {
        Objects.checkFromIndexSize(off, n, buf.length);
        int done = 0;
        while (done < n) {
            long got = api.read(fd, buf, off + done, n - done);
            if (got < 0) {
                return -1;
            } else if (got == 0) {
                break;
            }
            done += (int) got;
        }
        return done;
    }

    /** writen: writes all {@code n} bytes; returns n, or -1 with errno set. */
    public static long writen(SocketApi api, int fd, byte[] buf, int off, int n) {
        Objects.checkFromIndexSize(off, n, buf.length);
        int done = 0;
        while (done < n) {
            long put = api.write(fd, buf, off + done, n - done);
            if (put < 0) {
                return -1;
            }
            done += (int) put;
        }
        return n;
    }

    static IOException failure(String call, int fd) {
        int errno = SocketApi.errno();
        return new IOException(call + "(" + fd + ") failed: " + Errno.name(errno) + " (errno " + errno + ")");
    }

    private static final class In extends InputStream {
        private final SocketApi api;
        private final int fd;
        private final byte[] one = new byte[1];

        In(SocketApi api, int fd) {
            this.api = api;
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        /** -1 at EOF (read(2) returned 0), as InputStream's contract says. */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            long n = api.read(fd, b, off, len);
            if (n < 0) {
                throw failure("read", fd);
            }
            return n == 0 ? -1 : (int) n;
        }

        /** ioctl(FIONREAD). */
        @Override
        public int available() throws IOException {
            int[] value = new int[1];
            if (api.ioctl(fd, SocketConstants.FIONREAD, value) < 0) {
                throw failure("ioctl", fd);
            }
            return value[0];
        }

        @Override
        public void close() throws IOException {
            if (api.shutdown(fd, SocketConstants.SHUT_RD) < 0 && SocketApi.errno() != Errno.ENOTCONN) {
                throw failure("shutdown", fd);
            }
        }
    }

    private static final class Out extends OutputStream {
        private final SocketApi api;
        private final int fd;

        Out(SocketApi api, int fd) {
            this.api = api;
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (writen(api, fd, b, off, len) < 0) {
                throw failure("write", fd);
            }
        }

        @Override
        public void close() throws IOException {
            if (api.shutdown(fd, SocketConstants.SHUT_WR) < 0 && SocketApi.errno() != Errno.ENOTCONN) {
                throw failure("shutdown", fd);
            }
        }
    }
}
