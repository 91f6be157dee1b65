package io.tcpsim.tcp;

/**
 * Watches the connections of a {@link TcpLayer} change state (RFC 9293 §3.3.2), for tracing: the
 * drill runner's {@code --trace}. Called on the stack thread, at each change.
 */
@FunctionalInterface
public interface TcpObserver {

    /** Watches nothing. */
    TcpObserver NONE = (tuple, from, to) -> { };

    /** {@code tuple} (local side first) moved from {@code from} to {@code to}. */
    void stateChanged(FourTuple tuple, TcpState from, TcpState to);
}
