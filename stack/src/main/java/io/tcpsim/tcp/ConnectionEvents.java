package io.tcpsim.tcp;

/**
 * A connection's pending events, delivered to its {@link ConnectionListener} only between
 * segments, so that a handler may call back into the connection (read, write, close).
 */
final class ConnectionEvents {
    static final int ESTABLISHED = 1;
    static final int READABLE = 2;
    static final int WRITABLE = 4;
    static final int CLOSED = 8;
    static final int STATE_CHANGED = 16;

    private ConnectionListener listener;
    private int pending;
    private boolean firing;

    void setListener(ConnectionListener l) {
        listener = l;
    }

    void signal(int events) {
        pending |= events;
    }

    /** Delivers what is pending, including what handlers cause, unless already delivering. */
    void fire(TcpConnection c) {
        if (firing) {
            return;
        }
        firing = true;
        try {
            while (pending != 0) {
                int events = pending;
                pending = 0;
                if (listener != null) {
                    deliver(c, events);
                }
            }
        } finally {
            firing = false;
        }
    }

    private void deliver(TcpConnection c, int events) {
        if ((events & ESTABLISHED) != 0) {
            listener.established(c);
        }
        if ((events & READABLE) != 0) {
            listener.readable(c);
        }
        if ((events & WRITABLE) != 0 && c.state() != TcpState.CLOSED) {
            listener.writable(c);
        }
        if ((events & STATE_CHANGED) != 0) {
            listener.stateChanged(c);
        }
        if ((events & CLOSED) != 0) {
            listener.closed(c, c.error());
        }
    }
}
