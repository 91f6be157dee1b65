package io.tcpsim.socket;

import io.tcpsim.udp.DatagramListener;
import io.tcpsim.udp.UdpEndpoint;
import io.tcpsim.udp.UdpLayer;

/**
 * One SOCK_DGRAM socket over UDP: its {@link UdpEndpoint} (bound and connected addresses, receive
 * queue, pending error), {@code sk_shutdown} and the options the socket layer keeps. Everything
 * but the fields marked volatile is touched only on the stack thread.
 */
final class UdpSocket implements OpenFile, DatagramListener {
    /** Linux net.core.wmem_default: a fresh UDP socket's SO_SNDBUF (rmem_default: see UdpEndpoint). */
    static final int DEFAULT_SNDBUF = 212_992;

    private final WaitQueue waiters = new WaitQueue();
    private volatile boolean nonBlocking;
    private volatile boolean closed;
    final UdpEndpoint endpoint;
    /** AF_INET or AF_INET6: the family of the names the socket takes and gives. */
    final int family;
    final SocketSettings settings = new SocketSettings();
    /** Linux sk_shutdown: TcpSocket.RCV_SHUTDOWN | TcpSocket.SEND_SHUTDOWN. */
    int shutdown;

    /** On the stack thread: the endpoint comes from the UDP layer. */
    UdpSocket(UdpLayer udp, int family, boolean nonBlocking) {
        this.nonBlocking = nonBlocking;
        this.family = family;
        this.endpoint = udp.open(this, family == SocketConstants.AF_INET6);
        settings.sndBuf = DEFAULT_SNDBUF;
        settings.rcvBuf = UdpEndpoint.DEFAULT_RCVBUF;
    }

    @Override
    public WaitQueue waiters() {
        return waiters;
    }

    @Override
    public boolean nonBlocking() {
        return nonBlocking;
    }

    @Override
    public void setNonBlocking(boolean on) {
        nonBlocking = on;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /** sock_error(): the pending error as an errno, cleared; 0 when none. */
    int takeError() {
        return endpoint.hasError() ? Errno.of(endpoint.takeError()) : 0;
    }

    /**
     * Readiness as Linux udp_poll() (datagram_poll()) computes it: POLLERR with a pending error,
     * POLLIN with a queued datagram (a zero-length one too), POLLIN and POLLRDHUP after SHUT_RD,
     * POLLHUP after both shutdowns, and always POLLOUT: tcpsim transmits at once, so the send
     * buffer never fills (sock_writeable()).
     */
    @Override
    public int pollMask() {
        int mask = SocketConstants.POLLOUT | SocketConstants.POLLWRNORM | SocketConstants.POLLWRBAND;
        if (endpoint.hasError()) {
            mask |= SocketConstants.POLLERR;
        }
        if ((shutdown & TcpSocket.RCV_SHUTDOWN) != 0) {
            mask |= SocketConstants.POLLRDHUP | SocketConstants.POLLIN | SocketConstants.POLLRDNORM;
        }
        if (shutdown == (TcpSocket.RCV_SHUTDOWN | TcpSocket.SEND_SHUTDOWN)) {
            mask |= SocketConstants.POLLHUP;
        }
        if (endpoint.peek() != null) {
            mask |= SocketConstants.POLLIN | SocketConstants.POLLRDNORM;
        }
        return mask;
    }

    /** Linux sock_def_readable(): a wake-up about the read bits. */
    @Override
    public void readable(UdpEndpoint e) {
        waiters.wake(TcpSocket.READ_KEY);
    }

    /** Linux sock_def_error_report(): a wake-up about POLLERR. */
    @Override
    public void errorReported(UdpEndpoint e) {
        waiters.wake(TcpSocket.ERROR_KEY);
    }
}
