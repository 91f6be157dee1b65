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

/** A TCP socket's readiness as Linux tcp_poll() computes it (the poll and epoll bits are equal; UDP: {@link UdpSocket#pollMask}). */
final class PollMask {
    private PollMask() {
    }

    /**
     * On the stack thread. Linux tcp_poll(): a socket that is not writable is marked SOCK_NOSPACE,
     * so that freed space wakes its pollers.
     */
    static int of(TcpSocket s) {
        TcpState st = s.tcpState();
        if (st == TcpState.LISTEN) {
            boolean queued = s.listener != null && s.listener.acceptQueueLength() > 0;
            return queued ? POLLIN | POLLRDNORM : 0; // inet_csk_listen_poll()
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
            if ((shutdown & TcpSocket.SEND_SHUTDOWN) != 0 || writeable(s)) {
                mask |= POLLOUT | POLLWRNORM;
            } else {
                s.noSpace = true;
            }
        }
        if (s.error != 0) {
            mask |= POLLERR;
        }
        return mask;
    }

    /**
     * Linux __sk_stream_is_writeable(sk, 1): free space at least half of what is queued, and the
     * unsent bytes below half the TCP_NOTSENT_LOWAT mark ({@link NotSentLowat}).
     */
    static boolean writeable(TcpSocket s) {
        if (s.connection == null) {
            return true;
        }
        int free = s.connection.writable();
        return free > 0 && free >= (s.connection.sendBufferSize() - free) / 2 && NotSentLowat.memoryFree(s, 1);
    }
}
