package io.tcpsim.control;

import java.time.Duration;

/**
 * The control socket's line protocol. A client sends one request line (at most
 * {@link #MAX_REQUEST_BYTES}, within {@link #REQUEST_TIMEOUT}); the server answers with a status
 * line, {@code ok} or {@code error MESSAGE}, then the body: text for {@code ss} and {@code stats},
 * which ends when the server closes; for {@code nc} the relayed bytes, the client's framed
 * ({@link #MAX_FRAME}-byte frames with a 4-byte big-endian length, length 0 = end of input) and
 * the server's raw. Before its status line a waiting {@code nc listen} sends empty lines, so that
 * a client that went away is noticed.
 *
 * <pre>
 * ss [-l] [-a]              sockets, like ss -tanoi (default: connections, -l: listeners, -a: all)
 * stats [-z]                counters, like nstat -a (-z: zeros too)
 * nc connect ADDRESS PORT   connect from the stack and relay
 * nc listen PORT            listen on PORT, relay the first connection accepted
 * </pre>
 */
public final class ControlProtocol {
    public static final int MAX_REQUEST_BYTES = 256;
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** How long a request waits for the stack thread to take its snapshot. */
    public static final Duration STACK_TIMEOUT = Duration.ofSeconds(5);
    /** Control connections served at once; more are refused with an error line. */
    public static final int MAX_SESSIONS = 32;
    public static final int MAX_FRAME = 65_536;
    /** How often a waiting {@code nc listen} checks that its client is still there. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);
    public static final String OK = "ok";
    public static final String ERROR = "error ";

    private ControlProtocol() {
    }
}
