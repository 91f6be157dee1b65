package io.tcpsim.socket;

/**
 * The constants of the socket calls with Linux's numeric values (x86-64 and aarch64 agree):
 * {@code <bits/socket.h>}, {@code <asm-generic/socket.h>}, {@code <netinet/tcp.h>},
 * {@code <asm-generic/fcntl.h>}, {@code <asm-generic/poll.h>}, {@code <sys/epoll.h>}.
 */
public final class SocketConstants {
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    /** socket(2): the type argument's low 4 bits are the type, the rest flags. */
    public static final int SOCK_TYPE_MASK = 0xf;
    /** Linux SOCK_MAX: types at or above are EINVAL. */
    public static final int SOCK_MAX = 11;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    /** Linux IPPROTO_MAX: socket(2) protocols at or above it (or negative) are EINVAL. */
    public static final int IPPROTO_MAX = 263;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int SO_ACCEPTCONN = 30;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_INFO = 11;
    public static final int TCP_CONGESTION = 13;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int TCP_NOTSENT_LOWAT = 25;
    /** FreeBSD's TCP_KEEPINIT (netinet/tcp.h); Linux has no such option. */
    public static final int TCP_KEEPINIT = 128;
    /** Linux TCP_CA_NAME_MAX: TCP_CONGESTION names are at most 15 characters and a NUL. */
    public static final int TCP_CA_NAME_MAX = 16;

    public static final int IPV6_V6ONLY = 26;

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_EOR = 0x80;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 04000;

    public static final int FIONREAD = 0x541B;
    public static final int SIOCATMARK = 0x8905;
    /** tcp(7): SIOCINQ is FIONREAD; SIOCOUTQ is TIOCOUTQ (bytes in the send queue not yet acknowledged). */
    public static final int SIOCINQ = FIONREAD;
    public static final int SIOCOUTQ = 0x5411;
    public static final int SIOCOUTQNSD = 0x894B;

    public static final short POLLIN = 0x1;
    public static final short POLLPRI = 0x2;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    public static final short POLLRDNORM = 0x40;
    public static final short POLLRDBAND = 0x80;
    public static final short POLLWRNORM = 0x100;
    public static final short POLLWRBAND = 0x200;
    public static final short POLLRDHUP = 0x2000;

    public static final int EPOLLIN = 0x1;
    public static final int EPOLLPRI = 0x2;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDNORM = 0x40;
    public static final int EPOLLRDBAND = 0x80;
    public static final int EPOLLWRNORM = 0x100;
    public static final int EPOLLWRBAND = 0x200;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    public static final int EPOLL_CLOEXEC = SOCK_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    public static final int INADDR_ANY = 0;

    private SocketConstants() {
    }
}
