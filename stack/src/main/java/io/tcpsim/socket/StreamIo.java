package io.tcpsim.socket;

import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpState;

/**
 * One try of recv(2) and send(2) on the stack thread, after Linux tcp_recvmsg_locked() and
 * tcp_sendmsg_locked(). {@code copied} is what earlier tries of the same call moved: with some
 * bytes already copied, an error or end of stream only ends the call, the error stays pending.
 * -EAGAIN means: nothing now, a blocking call waits.
 */
final class StreamIo {
    /** The try ended the call without bytes (end of stream, or an error left for the next call). */
    static final int END = 0;

    private StreamIo() {
    }

    /**
     * recv(2): queued bytes first (MSG_PEEK leaves them); without any, end of stream after the
     * peer's FIN, the pending error, 0 after SHUT_RD, ENOTCONN when not connected, else -EAGAIN.
     * Linux: listening sockets are ENOTCONN; a zero-length read waits like any other (target 1).
     * A null {@code dst} discards what is read (MSG_TRUNC on TCP, tcp(7)).
     */
    static int read(TcpSocket s, byte[] dst, int off, int len, boolean peek, int copied, long now) {
        if (dst == null) {
            return read(s, new byte[Math.min(len, s.readable())], 0, Math.min(len, s.readable()), peek, copied, now);
        } else if (s.tcpState() == TcpState.LISTEN) {
            return -Errno.ENOTCONN;
        } else if (s.readable() > 0) {
            return peek ? peek(s, dst, off, len) : take(s, dst, off, len, now);
        } else if (copied > 0) {
            boolean over = s.error != 0 || s.tcpState() == TcpState.CLOSED || (s.shutdownMask() & TcpSocket.RCV_SHUTDOWN) != 0;
            return over ? END : -Errno.EAGAIN;
        } else if (s.finReceived()) {
            return END;
        } else if (s.error != 0) {
            return -s.takeError();
        } else if ((s.shutdownMask() & TcpSocket.RCV_SHUTDOWN) != 0) {
            return END;
        } else if (s.tcpState() == TcpState.CLOSED) {
            return -Errno.ENOTCONN;
        }
        return -Errno.EAGAIN;
    }

    private static int take(TcpSocket s, byte[] dst, int off, int len, long now) {
        int n = s.peeked.take(dst, off, len, false);
        if (n < len && s.connection != null && s.connection.readable() > 0) {
            n += Math.max(0, s.connection.read(dst, off + n, len - n, now));
        }
        return n;
    }

    private static int peek(TcpSocket s, byte[] dst, int off, int len) {
        int missing = len - s.peeked.size();
        if (missing > 0 && s.connection != null && s.connection.readable() > 0) {
            int want = Math.min(missing, s.connection.readable());
            byte[] buffer = s.peeked.reserve(want);
            int n = s.connection.read(buffer, s.peeked.size(), want, 0);
            s.peeked.added(Math.max(0, n));
        }
        return s.peeked.take(dst, off, len, true);
    }

    /**
     * send(2), Linux tcp_sendmsg_locked(): the pending error first; before ESTABLISHED it waits
     * for the handshake (sk_stream_wait_connect(): -EAGAIN), EPIPE unless connecting; EPIPE after
     * SHUT_WR; else what fits in the send buffer, -EAGAIN when nothing does. {@code more}:
     * MSG_MORE, hold a short tail as TCP_CORK would, for this call.
     */
    static int write(TcpSocket s, byte[] src, int off, int len, boolean more, int copied, long now) {
        if (s.error != 0) {
            return copied > 0 ? END : -s.takeError();
        }
        TcpState st = s.tcpState();
        if (st == TcpState.SYN_SENT || st == TcpState.SYN_RECEIVED) {
            return -Errno.EAGAIN;
        } else if ((s.shutdownMask() & TcpSocket.SEND_SHUTDOWN) != 0
                || (st != TcpState.ESTABLISHED && st != TcpState.CLOSE_WAIT)) {
            return copied > 0 ? END : -Errno.EPIPE;
        } else if (len == 0) {
            return 0;
        }
        try {
            int n = s.connection.write(src, off, len, more, now);
            if (n < len) {
                s.noSpace = true; // Linux: tcp_sendmsg_locked() found no room (SOCK_NOSPACE)
            }
            return n > 0 ? n : -Errno.EAGAIN;
        } catch (TcpException e) {
            return copied > 0 ? END : -Errno.of(e.error());
        }
    }
}
