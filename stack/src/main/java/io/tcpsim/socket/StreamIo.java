package io.tcpsim.socket;

import io.tcpsim.tcp.TcpConnection;
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
     * recv(2): queued bytes first (MSG_PEEK leaves them), up to the urgent mark, where a call that
     * already has bytes ends (Linux tcp_recvmsg_locked(), even with MSG_WAITALL); without any, end
     * of stream after the peer's FIN, the pending error, 0 after SHUT_RD, ENOTCONN when not
     * connected, else -EAGAIN. Linux: listening sockets are ENOTCONN; a zero-length read waits
     * like any other (target 1). A null {@code dst} discards what is read (MSG_TRUNC on TCP, tcp(7)).
     */
    static int read(TcpSocket s, byte[] dst, int off, int len, boolean peek, int copied, long now) {
        if (dst == null) {
            return read(s, new byte[Math.min(len, s.readable())], 0, Math.min(len, s.readable()), peek, copied, now);
        } else if (s.tcpState() == TcpState.LISTEN) {
            return -Errno.ENOTCONN;
        } else if (copied > 0 && s.connection != null && s.connection.atUrgentMark()) {
            return END;
        }
        int n = s.connection == null ? 0 : s.connection.receive(dst, off, len, peek, now);
        if (n > 0 || (len == 0 && s.connection != null && s.connection.readable() > 0)) {
            return n; // Linux: a zero-length read with data there returns 0 at once
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

    /**
     * recv(MSG_OOB), Linux tcp_recv_urg(): EINVAL without urgent data to read out of band (none,
     * already read, or SO_OOBINLINE); ENOTCONN when closed before the peer's FIN; the byte (a
     * zero-length buffer takes it and returns 0); when only its pointer has arrived, 0 if the
     * stream is over, else EAGAIN: it never waits.
     */
    static int readUrgent(TcpSocket s, byte[] dst, int off, int len, boolean peek) {
        if (s.tcpState() == TcpState.LISTEN) {
            return -Errno.ENOTCONN;
        }
        int value = s.connection == null ? TcpConnection.NO_URGENT_DATA : s.connection.readUrgent(peek);
        boolean closed = s.tcpState() == TcpState.CLOSED;
        if (value == TcpConnection.NO_URGENT_DATA) {
            return -Errno.EINVAL; // Linux: "Yes this is right !"
        } else if (closed && !s.finReceived()) {
            return -Errno.ENOTCONN;
        } else if (value >= 0) {
            if (len > 0 && dst != null) { // Linux: MSG_TRUNC takes the byte without copying it
                dst[off] = (byte) value;
            }
            return Math.min(len, 1);
        }
        return closed || (s.shutdownMask() & TcpSocket.RCV_SHUTDOWN) != 0 ? 0 : -Errno.EAGAIN;
    }

    /**
     * send(2), Linux tcp_sendmsg_locked(): the pending error first; before ESTABLISHED it waits
     * for the handshake (sk_stream_wait_connect(): -EAGAIN), EPIPE unless connecting; EPIPE after
     * SHUT_WR; else what fits in the send buffer, -EAGAIN when nothing does. {@code urgent}:
     * MSG_OOB, the last byte taken is urgent; {@code more}: MSG_MORE, hold a short tail as TCP_CORK
     * would, for this call.
     */
    static int write(TcpSocket s, byte[] src, int off, int len, boolean urgent, boolean more, int copied,
            long now) {
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
            int room = NotSentLowat.room(s, len);
            int n = room == 0 ? 0 : s.connection.write(src, off, room, urgent, more, now);
            if (n < len) {
                s.noSpace = true; // Linux: tcp_sendmsg_locked() found no room (SOCK_NOSPACE)
                s.connection.noteSendBufferFull();
            }
            return n > 0 ? n : -Errno.EAGAIN;
        } catch (TcpException e) {
            return copied > 0 ? END : -Errno.of(e.error());
        }
    }
}
