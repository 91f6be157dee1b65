package io.tcpsim.socket;

import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.IpAddress;

/**
 * One SOCK_STREAM socket: Linux's two states side by side, {@code sock->state} (unconnected,
 * connecting, connected: what connect(2) remembers) and the TCP state of its listener or
 * connection, plus {@code sk_err} (SO_ERROR, read and cleared), {@code sk_shutdown} and the
 * options. Everything but the fields marked volatile is touched only on the stack thread.
 *
 * <p>An AF_INET6 socket talks IPv6 to native addresses and IPv4 to IPv4-mapped ones (dual stack,
 * as Linux does when IPV6_V6ONLY is off); its IPv4 names are given as {@code ::ffff:a.b.c.d}.
 */
final class TcpSocket implements OpenFile, ConnectionListener {
    /** The wake-up keys of Linux's sock_def_readable(), sk_stream_write_space(), sock_def_error_report(). */
    static final int READ_KEY = SocketConstants.POLLIN | SocketConstants.POLLPRI | SocketConstants.POLLRDNORM
            | SocketConstants.POLLRDBAND;
    static final int WRITE_KEY = SocketConstants.POLLOUT | SocketConstants.POLLWRNORM | SocketConstants.POLLWRBAND;
    static final int ERROR_KEY = SocketConstants.POLLERR;

    /** Linux {@code sock->state}. */
    enum SockState { UNCONNECTED, CONNECTING, CONNECTED }

    static final int RCV_SHUTDOWN = 1;
    static final int SEND_SHUTDOWN = 2;

    private final WaitQueue waiters = new WaitQueue();
    private volatile boolean nonBlocking;
    private volatile boolean closed;
    /** AF_INET or AF_INET6. */
    final int family;
    final SocketSettings settings;
    SockState sockState = SockState.UNCONNECTED;
    TcpListener listener;
    volatile TcpConnection connection; // volatile: a read may run on the caller's thread (DataCalls)
    /** Linux sk_err: the pending error, 0 when none. */
    int error;
    /** Linux sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN. */
    int shutdown;
    /** bind(2) or an automatic bind happened: localAddr:localPort are this socket's. */
    boolean bound;
    /** The port was chosen by bind(2) or listen(2), not by connect(2). */
    boolean portLocked;
    IpAddress localAddr = IpAddress.ANY_IPV4;
    int localPort;
    /** AF_INET6 bound to {@code ::} (not to a mapped address): getsockname says {@code ::}. */
    boolean boundToAny6;
    /** listen(2) succeeded. */
    boolean listening;
    /** Linux SOCK_NOSPACE: a send or poll found the buffer full; the next free space wakes writers. */
    boolean noSpace;
    /** Linux SOCK_DONE: the peer's FIN arrived; it stays so after a later RST, and reads return 0. */
    private boolean finSeen;

    TcpSocket(int family, boolean nonBlocking, SocketSettings settings) {
        this.family = family;
        this.nonBlocking = nonBlocking;
        this.settings = settings;
    }

    /** An accepted connection: connected at once, with the listener's settings (Linux clones them). */
    static TcpSocket accepted(TcpConnection c, int family, boolean nonBlocking, SocketSettings settings) {
        TcpSocket s = new TcpSocket(family, nonBlocking, settings);
        s.sockState = SockState.CONNECTED;
        s.connection = c;
        s.bound = true;
        s.localAddr = c.tuple().localAddr();
        s.localPort = c.tuple().localPort();
        if (c.state() == TcpState.CLOSED && c.error() != null) {
            s.error = Errno.of(c.error());
        }
        c.setListener(s);
        return s;
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

    @Override
    public int pollMask() {
        return PollMask.of(this);
    }

    void markClosed() {
        closed = true;
    }

    /**
     * The TCP state as Linux's socket shows it: LISTEN, CLOSED when there is no connection, and
     * CLOSED for TIME_WAIT too (Linux hands TIME_WAIT to a separate timewait sock, tcp_time_wait()).
     */
    TcpState tcpState() {
        if (listening) {
            return TcpState.LISTEN;
        } else if (connection == null || connection.state() == TcpState.TIME_WAIT) {
            return TcpState.CLOSED;
        }
        return connection.state();
    }

    /** The peer's FIN arrived (Linux tcp_fin() sets RCV_SHUTDOWN and SOCK_DONE). */
    boolean finReceived() {
        if (connection == null) {
            return false;
        }
        noteFin();
        return finSeen || (connection.state() == TcpState.CLOSED && connection.error() == null);
    }

    private void noteFin() {
        switch (connection.state()) {
            case CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT -> finSeen = true;
            default -> { }
        }
    }

    /** sk_shutdown including what the connection did: tcp_fin() and tcp_done() set bits too. */
    int shutdownMask() {
        int mask = shutdown;
        if (finReceived()) {
            mask |= RCV_SHUTDOWN;
        }
        if (connection != null && tcpState() == TcpState.CLOSED) {
            mask |= RCV_SHUTDOWN | SEND_SHUTDOWN;
        }
        return mask;
    }

    /** sock_error(): the pending error, cleared; 0 when none. */
    int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    /** FIONREAD, SIOCINQ: bytes readable now, up to the urgent mark while urgent data is pending. */
    int readable() {
        return connection == null ? 0 : connection.inq();
    }

    @Override
    public void established(TcpConnection c) {
        waiters.wakeAll();
    }

    @Override
    public void readable(TcpConnection c) {
        waiters.wake(READ_KEY);
    }

    /** Linux sk_stream_write_space(): writers hear of freed space only when one found none, once it is writable. */
    @Override
    public void writable(TcpConnection c) {
        if (noSpace && PollMask.writeable(this)) {
            noSpace = false;
            waiters.wake(WRITE_KEY);
        }
    }

    @Override
    public void stateChanged(TcpConnection c) {
        if (c == connection) {
            noteFin();
        }
        waiters.wakeAll();
    }

    @Override
    public void closed(TcpConnection c, TcpError err) {
        if (err != null) {
            error = Errno.of(err);
            waiters.wake(ERROR_KEY);
        }
        waiters.wakeAll();
    }
}
