package io.tcpsim.tcp;

/**
 * Events of one connection, called on the stack thread after the segment or timer that caused
 * them has been fully processed, so a handler may read, write or close at once.
 */
public interface ConnectionListener {
    /** The handshake completed (active open; an accepted connection is already established). */
    default void established(TcpConnection c) {
    }

    /** Data or the peer's FIN (read() returns -1) arrived. */
    default void readable(TcpConnection c) {
    }

    /** Send-buffer space was freed by an acknowledgment, or the connection became established. */
    default void writable(TcpConnection c) {
    }

    /** The state changed (Linux sk_state_change()): a lingering close() waits for this. */
    default void stateChanged(TcpConnection c) {
    }

    /** The connection is over for the application: CLOSED or TIME_WAIT; error null when clean. */
    default void closed(TcpConnection c, TcpError error) {
    }
}
