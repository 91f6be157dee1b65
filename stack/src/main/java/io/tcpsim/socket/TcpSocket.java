package io.tcpsim.socket;

import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.tcp.TcpState;

/**
 * One SOCK_STREAM socket: Linux's two states side by side, {@code sock->state} (unconnected,
 * connecting, connected: what connect(2) remembers) and the TCP state of its listener or
 * connection, plus {@code sk_err} (SO_ERROR, read and cleared), {@code sk_shutdown} and the
 * options. Everything but the fields marked volatile is touched only on the stack thread.
 */
final class TcpSocket implements OpenFile, ConnectionListener {

    /** Linux {@code sock->state}. */
    enum SockState { UNCONNECTED, CONNECTING, CONNECTED }

    static final int RCV_SHUTDOWN = 1;
    static final int SEND_SHUTDOWN = 2;

    private final WaitQueue waiters = new WaitQueue();
    private volatile boolean nonBlocking;
    private volatile boolean closed;
    final SocketSettings settings;
    SockState sockState = SockState.UNCONNECTED;
    TcpListener listener;
    TcpConnection connection;
    /** Bytes MSG_PEEK took from the connection, served before it by the next reads. */
    final PeekBuffer peeked = new PeekBuffer();
    /** Linux sk_err: the pending error, 0 when none. */
    int error;
    /** Linux sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN. */
    int shutdown;
    /** bind(2) or an automatic bind happened: localAddr:localPort are this socket's. */
    boolean bound;
    /** The port was chosen by bind(2) or listen(2), not by connect(2). */
    boolean portLocked;
    int localAddr;
    int localPort;

    TcpSocket(boolean nonBlocking, SocketSettings settings) {
        this.nonBlocking = nonBlocking;
        this.settings = settings;
    }

    /** An accepted connection: connected at once, with the listener's settings (Linux clones them). */
    static TcpSocket accepted(TcpConnection c, boolean nonBlocking, SocketSettings settings) {
        TcpSocket s = new TcpSocket(nonBlocking, settings);
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

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /**
     * The TCP state as Linux's socket shows it: LISTEN, CLOSED when there is no connection, and
     * CLOSED for TIME_WAIT too (Linux hands TIME_WAIT to a separate timewait sock, tcp_time_wait()).
     */
    TcpState tcpState() {
        if (listener != null) {
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
        return switch (connection.state()) {
            case CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT -> true;
            case CLOSED -> connection.error() == null;
            default -> false;
        };
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

    /** Bytes a read would return now (FIONREAD, SIOCINQ). */
    int readable() {
        return peeked.size() + (connection == null ? 0 : connection.readable());
    }

    /**
     * Bytes written and not yet acknowledged (SIOCOUTQ): Linux tcp_ioctl() says 0 while the
     * handshake is on, else write_seq - snd_una.
     */
    int unacknowledged() {
        TcpState st = tcpState();
        if (connection == null || st == TcpState.SYN_SENT || st == TcpState.SYN_RECEIVED) {
            return 0;
        }
        return connection.sendQueueLength();
    }

    @Override
    public void established(TcpConnection c) {
        waiters.wakeAll();
    }

    @Override
    public void readable(TcpConnection c) {
        waiters.wakeAll();
    }

    @Override
    public void writable(TcpConnection c) {
        waiters.wakeAll();
    }

    @Override
    public void closed(TcpConnection c, TcpError err) {
        if (err != null) {
            error = Errno.of(err);
        }
        waiters.wakeAll();
    }
}
