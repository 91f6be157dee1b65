package io.tcpsim.tcp;

/** A TCP call that failed with an errno ({@link TcpError}). */
public final class TcpException extends RuntimeException {
    private final TcpError error;

    public TcpException(TcpError error, String message) {
        super(error + ": " + message);
        this.error = error;
    }

    public TcpError error() {
        return error;
    }
}
