package io.tcpsim.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;

/**
 * A Linux TUN device: raw IP packets in and out of a file descriptor.
 *
 * <p>Opening follows {@code Documentation/networking/tuntap.rst}: {@code open("/dev/net/tun")},
 * then {@code ioctl(TUNSETIFF)} with a {@code struct ifreq} naming the interface. The interface
 * lives in the network namespace of the thread that opens it, so open it from inside one:
 * {@code ns.call(() -> TunDevice.open(config))}. It disappears when the last descriptor attached
 * to it is closed.
 *
 * <p>Threads: {@link #read}, {@link #write} and {@link #awaitReadable} may run concurrently
 * (typically one reader, one writer). Close only after the reader has stopped: closing does not
 * wake a thread blocked in {@code read(2)}; a reader that polls with {@link #awaitReadable} and a
 * timeout, or a non-blocking descriptor, avoids the problem.
 */
public final class TunDevice implements AutoCloseable {
    /** {@code TUN_F_CSUM} ({@code <linux/if_tun.h>}): the reader completes partial checksums. */
    public static final int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: the reader accepts TCP/IPv4 GSO packets (needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_TSO4 = 0x02;
    /** {@code TUN_F_TSO6}: the reader accepts TCP/IPv6 GSO packets (needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_TSO6 = 0x04;
    /** {@code TUN_F_TSO_ECN}: the reader accepts TSO packets with CWR set. */
    public static final int TUN_F_TSO_ECN = 0x08;
    /** {@code TUN_F_USO4}: the reader accepts UDP/IPv4 segmentation offload (Linux 6.2+). */
    public static final int TUN_F_USO4 = 0x20;
    /** {@code TUN_F_USO6}: the reader accepts UDP/IPv6 segmentation offload (Linux 6.2+). */
    public static final int TUN_F_USO6 = 0x40;

    /**
     * What {@link #read} and {@link #write} return when a non-blocking descriptor has no packet to
     * give or cannot take one now ({@code EAGAIN}). A real packet is never empty, so 0 is
     * unambiguous, as in {@link java.nio.channels.ReadableByteChannel#read}.
     */
    public static final int WOULD_BLOCK = 0;

    /** The clone device, {@code Documentation/networking/tuntap.rst}. */
    static final String CLONE_DEVICE = "/dev/net/tun";

    /** {@code _IOW('T', 202, int)}, {@code <linux/if_tun.h>}. */
    private static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 208, unsigned int)}, {@code <linux/if_tun.h>}. */
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code ifr_flags} bits, {@code <linux/if_tun.h>}. */
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    /** {@code sizeof(struct ifreq)} on LP64 ({@code <linux/if.h>}): the name, then a 24-byte union. */
    private static final long IFREQ_SIZE = 40;
    /** Offset of {@code ifr_flags} (a {@code short}) in {@code struct ifreq}. */
    private static final long IFR_FLAGS = TunConfig.IFNAMSIZ;
    private static final int KNOWN_OFFLOADS =
            TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN | TUN_F_USO4 | TUN_F_USO6;

    private final int fd;
    private final String name;
    private final TunConfig config;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean nonBlocking;

    private TunDevice(int fd, String name, TunConfig config) {
        this.fd = fd;
        this.name = name;
        this.config = config;
        this.nonBlocking = config.nonBlocking();
    }

    /**
     * Opens {@code /dev/net/tun} and attaches it to the interface {@code config} names, creating
     * the interface if needed, in the calling thread's network namespace.
     *
     * @throws NativeException with advice in the message when the device node is missing
     *     (ENOENT/ENODEV), CAP_NET_ADMIN is missing (EPERM), the name is taken (EBUSY), or the
     *     name belongs to a non-TUN interface or to a TUN with other flags (EINVAL)
     */
    public static TunDevice open(TunConfig config) throws IOException {
        int fd = openCloneDevice(config.nonBlocking());
        try {
            return new TunDevice(fd, attach(fd, config), config);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(fd, e);
            throw e;
        }
    }

    /** @return the interface name the kernel gave the device, e.g. {@code tun0} */
    public String name() {
        return name;
    }

    /** @return the file descriptor, for callers that multiplex it themselves */
    public int fd() {
        return fd;
    }

    /** @return whether every packet carries a {@link VnetHeader} ({@code IFF_VNET_HDR}) */
    public boolean vnetHeader() {
        return config.vnetHeader();
    }

    /** @return whether the device was opened with {@code IFF_MULTI_QUEUE} */
    public boolean multiQueue() {
        return config.multiQueue();
    }

    /** @return whether the descriptor is in non-blocking mode */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /**
     * Reads one packet into the start of {@code dst} (after a {@link VnetHeader} if
     * {@link #vnetHeader()}). A packet longer than {@code dst} is truncated by the kernel, so size
     * {@code dst} for the MTU, or for 65535 + {@link VnetHeader#SIZE} with TSO.
     *
     * <p>A blocking descriptor waits for a packet. A non-blocking one returns
     * {@link #WOULD_BLOCK} (0) at once when none is queued; that is never an exception.
     *
     * <p>A native {@code dst} is read into directly. A heap {@code dst} is read into directly
     * ({@link java.lang.foreign.Linker.Option#critical}) only when non-blocking, because the GC
     * cannot move it during the call; a blocking read goes through a temporary native buffer.
     *
     * @return the packet length in bytes, or {@link #WOULD_BLOCK}
     * @throws NativeException when {@code read(2)} fails with anything but EAGAIN
     * @throws IOException when this device is closed
     */
    public int read(MemorySegment dst) throws IOException {
        ensureOpen();
        requireWritable(dst);
        requireMinimum("dst", dst);
        long n = dst.isNative() || nonBlocking ? Libc.read(fd, dst) : readThroughNative(dst);
        return n == Libc.WOULD_BLOCK ? WOULD_BLOCK : (int) n;
    }

    /**
     * Reads one packet as {@link #read} does, its first {@code first.byteSize()} bytes (a
     * {@link VnetHeader}) into {@code first} and the rest into {@code rest}: {@code readv(2)}, so
     * the packet lands where the caller parses it. Both segments must be native; the descriptor
     * non-blocking or not, as for {@link #read}.
     *
     * @return the bytes read into both, or {@link #WOULD_BLOCK}
     */
    public int read(MemorySegment first, MemorySegment rest) throws IOException {
        ensureOpen();
        requireWritable(first);
        requireWritable(rest);
        if (!first.isNative() || !rest.isNative()) {
            throw new IllegalArgumentException("readv needs native segments");
        }
        long n = Libc.readv(fd, first, rest);
        return n == Libc.WOULD_BLOCK ? WOULD_BLOCK : (int) n;
    }

    /**
     * Writes {@code src} as one whole packet (starting with a {@link VnetHeader} if
     * {@link #vnetHeader()}); heap segments follow the rule of {@link #read}.
     *
     * @return {@code src.byteSize()}, or {@link #WOULD_BLOCK} when a non-blocking descriptor
     *     cannot take the packet now (the packet was not sent)
     * @throws NativeException when {@code write(2)} fails, with advice for EIO (interface down)
     * @throws IOException when this device is closed or the kernel took part of the packet
     */
    public int write(MemorySegment src) throws IOException {
        ensureOpen();
        requireMinimum("src", src);
        long n;
        try {
            n = src.isNative() || nonBlocking ? Libc.write(fd, src) : writeThroughNative(src);
        } catch (NativeException e) {
            throw e.errno() == Errno.EIO
                    ? new NativeException(e.operation(), e.errno(), "TUN device " + name + " is down: bring it up first")
                    : e;
        }
        if (n == Libc.WOULD_BLOCK) {
            return WOULD_BLOCK;
        }
        if (n != src.byteSize()) {
            throw new IOException("TUN device " + name + " took " + n + " of " + src.byteSize() + " bytes");
        }
        return (int) n;
    }

    /**
     * Waits with {@code poll(2)} until a packet can be read.
     *
     * @param timeoutMillis 0 checks without waiting; negative waits forever
     * @return true when readable, or when the descriptor reports an error or hang-up (the next
     *     {@link #read} then surfaces it); false on timeout
     */
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        ensureOpen();
        short revents = Libc.poll(fd, Libc.POLLIN, timeoutMillis);
        if ((revents & Libc.POLLNVAL) != 0) {
            throw new NativeException("poll(" + fd + ")", Errno.EBADF);
        }
        return (revents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP)) != 0;
    }

    /**
     * {@link #awaitReadable(long)} that also returns when {@code wakeup} is signalled, which it
     * then clears: one {@code poll(2)} on both descriptors.
     *
     * @return true when the device is readable (or reports an error or hang-up); false on timeout
     *     or wake-up alone
     */
    public boolean awaitReadable(long timeoutMillis, Wakeup wakeup) throws IOException {
        ensureOpen();
        int revents = Libc.pollTwo(fd, wakeup.fd(), Libc.POLLIN, timeoutMillis);
        if ((revents & Libc.POLLNVAL) != 0 || (revents >>> 16 & Libc.POLLNVAL) != 0) {
            throw new NativeException("poll(" + fd + ", " + wakeup.fd() + ")", Errno.EBADF);
        }
        if ((revents >>> 16 & Libc.POLLIN) != 0) {
            wakeup.drain();
        }
        return (revents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP)) != 0;
    }

    /**
     * {@link #awaitReadable(long)} with a {@link Duration}, rounded up to whole milliseconds.
     */
    public boolean awaitReadable(Duration timeout) throws IOException {
        long nanos = timeout.toNanos();
        return awaitReadable(nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000);
    }

    /** Sets or clears {@code O_NONBLOCK} with {@code fcntl(F_SETFL)} ({@code fcntl(2)}). */
    public void setNonBlocking(boolean on) throws IOException {
        ensureOpen();
        int flags = Libc.fcntl(fd, Libc.F_GETFL, 0);
        Libc.fcntl(fd, Libc.F_SETFL, on ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK);
        nonBlocking = on;
    }

    /**
     * Tells the kernel which offloads the reader handles ({@code TUNSETOFFLOAD}): with
     * {@link #TUN_F_CSUM} packets may arrive with a partial checksum
     * ({@link VnetHeader#F_NEEDS_CSUM}); with TSO/USO they may be GSO packets up to 64 KiB.
     * 0 turns every offload off.
     *
     * @param flags an or of the {@code TUN_F_*} constants
     * @throws IllegalStateException when flags are non-zero and the device has no vnet header:
     *     without it the reader could not tell which packets need finishing
     * @throws IllegalArgumentException for unknown bits
     * @throws NativeException with advice when the kernel rejects the combination (EINVAL)
     */
    public void setOffload(int flags) throws IOException {
        ensureOpen();
        if ((flags & ~KNOWN_OFFLOADS) != 0) {
            throw new IllegalArgumentException("unknown TUN offload bits 0x" + Integer.toHexString(flags));
        }
        if (flags != 0 && !vnetHeader()) {
            throw new IllegalStateException("offloads need a TUN opened with vnetHeader (IFF_VNET_HDR)");
        }
        String operation = "ioctl(TUNSETOFFLOAD, " + name + ", 0x" + Integer.toHexString(flags) + ")";
        try {
            Libc.ioctl(fd, TUNSETOFFLOAD, flags, operation);
        } catch (NativeException e) {
            if (e.errno() == Errno.EINVAL) {
                throw new NativeException(operation, e.errno(),
                        "the kernel rejected these offloads: TSO/USO need TUN_F_CSUM, USO needs Linux 6.2+");
            }
            throw e;
        }
    }

    /** Closes the descriptor; idempotent. The interface goes away with its last descriptor. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", fd " + fd + (vnetHeader() ? ", vnet" : "")
                + (multiQueue() ? ", multi-queue" : "") + (nonBlocking ? ", non-blocking" : "") + "]";
    }

    private static int openCloneDevice(boolean nonBlocking) throws NativeException {
        int flags = Libc.O_RDWR | Libc.O_CLOEXEC | (nonBlocking ? Libc.O_NONBLOCK : 0);
        try {
            return Libc.open(CLONE_DEVICE, flags);
        } catch (NativeException e) {
            throw switch (e.errno()) {
                case Errno.ENOENT, Errno.ENODEV -> new NativeException(e.operation(), e.errno(),
                        CLONE_DEVICE + " not found: load the tun module or run in a VM/container with the device");
                case Errno.EPERM, Errno.EACCES -> new NativeException(e.operation(), e.errno(),
                        "opening " + CLONE_DEVICE + " was refused: run as root");
                default -> e;
            };
        }
    }

    /** {@code TUNSETIFF}; returns the name the kernel wrote back into the {@code ifreq}. */
    private static String attach(int fd, TunConfig config) throws NativeException {
        String shown = config.name().isEmpty() ? "(kernel-chosen name)" : config.name();
        String operation = "ioctl(TUNSETIFF, " + shown + ")";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            byte[] nameBytes = config.name().getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFR_FLAGS, ifreqFlags(config));
            Libc.ioctl(fd, TUNSETIFF, ifreq, operation);
            return ifreq.getString(0);
        } catch (NativeException e) {
            throw withAdvice(e, shown);
        }
    }

    private static short ifreqFlags(TunConfig config) {
        int flags = IFF_TUN | IFF_NO_PI;
        flags |= config.vnetHeader() ? IFF_VNET_HDR : 0;
        flags |= config.multiQueue() ? IFF_MULTI_QUEUE : 0;
        return (short) flags;
    }

    private static NativeException withAdvice(NativeException e, String name) {
        return switch (e.errno()) {
            case Errno.EPERM -> new NativeException(e.operation(), e.errno(),
                    "creating a TUN needs CAP_NET_ADMIN: run as root");
            case Errno.EBUSY -> new NativeException(e.operation(), e.errno(),
                    "TUN device name " + name + " is already in use");
            case Errno.EINVAL -> new NativeException(e.operation(), e.errno(), "interface " + name
                    + " exists but is not a TUN, or is a TUN opened with other flags (multi-queue, vnet header)");
            default -> e;
        };
    }

    private static void closeAfterFailure(int fd, Exception failure) {
        try {
            Libc.close(fd);
        } catch (NativeException e) {
            failure.addSuppressed(e);
        }
    }

    private long readThroughNative(MemorySegment dst) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(dst.byteSize());
            long n = Libc.read(fd, buffer);
            if (n > 0) {
                MemorySegment.copy(buffer, 0, dst, 0, n);
            }
            return n;
        }
    }

    private long writeThroughNative(MemorySegment src) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.write(fd, arena.allocate(src.byteSize()).copyFrom(src));
        }
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("TUN device " + name + " is closed");
        }
    }

    private static void requireWritable(MemorySegment dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read a packet into a read-only segment");
        }
    }

    private void requireMinimum(String what, MemorySegment segment) {
        long minimum = vnetHeader() ? VnetHeader.SIZE + 1 : 1;
        if (segment.byteSize() < minimum) {
            throw new IllegalArgumentException(what + " has " + segment.byteSize()
                    + " bytes; a packet on " + name + " needs at least " + minimum);
        }
    }
}
