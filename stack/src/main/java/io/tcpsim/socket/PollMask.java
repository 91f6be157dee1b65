package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.POLLERR;
import static io.tcpsim.socket.SocketConstants.POLLHUP;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.POLLRDHUP;
import static io.tcpsim.socket.SocketConstants.POLLRDNORM;
import static io.tcpsim.socket.SocketConstants.POLLWRNORM;

import io.tcpsim.tcp.TcpState;

/** A socket's readiness as Linux tcp_poll() and udp_poll() compute it (the poll and epoll bits are equal). */
final class PollMask {
    private PollMask() {
    }

    /** On the stack thread: the mask of a TCP or UDP socket, 0 for anything else. */
    static int of(OpenFile f, int sendBuffer) {
        return switch (f) {
            case TcpSocket s -> of(s, sendBuffer);
            case UdpSocket s -> s.pollMask();
            case Epoll _ -> 0;
        };
    }

    /** A socket closed while an epoll instance still watched it. */
    static boolean isClosed(OpenFile f) {
        return switch (f) {
            case TcpSocket s -> s.isClosed();
            case UdpSocket s -> s.isClosed();
            case Epoll _ -> false;
        };
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
            if (s.readable() > 0) {
                mask |= POLLIN | POLLRDNORM;
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
