package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.POLLERR;
import static io.tcpsim.socket.SocketConstants.POLLHUP;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.POLLPRI;
import static io.tcpsim.socket.SocketConstants.POLLRDHUP;
import static io.tcpsim.socket.SocketConstants.POLLRDNORM;
import static io.tcpsim.socket.SocketConstants.POLLWRNORM;

import io.tcpsim.tcp.TcpState;

/** A TCP socket's readiness as Linux tcp_poll() computes it (the poll and epoll bits are equal). */
final class PollMask {
    private PollMask() {
    }

    /** On the stack thread; sendBuffer is the connection's send buffer size in bytes. */
    static int of(TcpSocket s, int sendBuffer) {
        TcpState st = s.tcpState();
        if (st == TcpState.LISTEN) {
            return s.listener.acceptQueueLength() > 0 ? POLLIN | POLLRDNORM : 0; // inet_csk_listen_poll()
        }
        int mask = 0;
        int shutdown = s.shutdownMask();
        if (shutdown == (TcpSocket.RCV_SHUTDOWN | TcpSocket.SEND_SHUTDOWN) || st == TcpState.CLOSED) {
            mask |= POLLHUP;
        }
        if ((shutdown & TcpSocket.RCV_SHUTDOWN) != 0) {
            mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        }
        if (st != TcpState.SYN_SENT && st != TcpState.SYN_RECEIVED) {
            if (s.connection != null && s.connection.hasReadableData()) {
                mask |= POLLIN | POLLRDNORM;
            }
            if (s.connection != null && s.connection.urgentPending()) {
                mask |= POLLPRI; // Linux tcp_poll(): urgent data not yet read out of band
            }
            if ((shutdown & TcpSocket.SEND_SHUTDOWN) != 0 || writeable(s, sendBuffer)) {
                mask |= POLLOUT | POLLWRNORM;
            }
        }
        if (s.error != 0) {
            mask |= POLLERR;
        }
        return mask;
    }

    /** Linux __sk_stream_is_writeable(): free space at least half of what is queued. */
    private static boolean writeable(TcpSocket s, int sendBuffer) {
        if (s.connection == null) {
            return true;
        }
        int free = s.connection.writable();
        return free > 0 && free >= (sendBuffer - free) / 2;
    }
}
