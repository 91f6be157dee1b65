package io.tcpsim.tun;

import java.io.IOException;

/**
 * A failed system call, with the {@code errno} it set.
 *
 * <p>The message is {@code "<operation>: <strerror> (errno N)"}, e.g.
 * {@code "ioctl(TUNSETIFF, tun0): Device or resource busy (errno 16)"}. When the cause is a
 * well-known setup problem the message starts with what to do about it, followed by {@code "; "}
 * and the raw form, e.g. {@code "creating a TUN needs CAP_NET_ADMIN: run as root;
 * ioctl(TUNSETIFF, tun0): Operation not permitted (errno 1)"}.
 */
public final class NativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /**
     * @param operation the call that failed and its main argument, e.g. {@code "open(/dev/net/tun)"}
     * @param errno the {@code errno} it set
     */
    public NativeException(String operation, int errno) {
        super(describe(operation, errno));
        this.operation = operation;
        this.errno = errno;
    }

    /**
     * @param operation the call that failed and its main argument
     * @param errno the {@code errno} it set
     * @param advice what the user should do, put first in the message
     */
    public NativeException(String operation, int errno, String advice) {
        super(advice + "; " + describe(operation, errno));
        this.operation = operation;
        this.errno = errno;
    }

    /** @return the call that failed, e.g. {@code "ioctl(TUNSETIFF, tun0)"} */
    public String operation() {
        return operation;
    }

    /** @return the {@code errno} the call set; see {@link Errno} */
    public int errno() {
        return errno;
    }

    private static String describe(String operation, int errno) {
        return operation + ": " + Libc.strerror(errno) + " (errno " + errno + ")";
    }
}
