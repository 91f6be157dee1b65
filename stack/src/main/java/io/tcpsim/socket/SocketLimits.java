package io.tcpsim.socket;

/**
 * System-wide limits the socket calls enforce, Linux's knobs: RLIMIT_NOFILE (descriptors are
 * below it, then EMFILE) and net.core.wmem_max / rmem_max (the caps of SO_SNDBUF / SO_RCVBUF).
 */
public record SocketLimits(int maxFiles, int wmemMax, int rmemMax) {
    /** Linux's defaults: a soft RLIMIT_NOFILE of 1024, wmem_max and rmem_max of 212992. */
    public static final SocketLimits LINUX_DEFAULTS = new SocketLimits(1024, 212_992, 212_992);

    public SocketLimits withMaxFiles(int value) {
        return new SocketLimits(value, wmemMax, rmemMax);
    }

    public SocketLimits withBufferCaps(int wmem, int rmem) {
        return new SocketLimits(maxFiles, wmem, rmem);
    }
}
