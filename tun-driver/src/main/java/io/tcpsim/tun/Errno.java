package io.tcpsim.tun;

/**
 * The few {@code errno} values this module reacts to, from
 * {@code <asm-generic/errno-base.h>} and {@code <asm-generic/errno.h>} (identical on x86-64 and
 * aarch64).
 */
public final class Errno {
    /** Operation not permitted: a capability is missing. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call: retried by this module, never surfaced. */
    public static final int EINTR = 4;
    /** I/O error: writing to a TUN whose interface is down. */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable (same value as EWOULDBLOCK). */
    public static final int EAGAIN = 11;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Device or resource busy: a TUN name already attached. */
    public static final int EBUSY = 16;
    /** No such device: the device node exists but its driver is not loaded. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;

    private Errno() {
    }
}
