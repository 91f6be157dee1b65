package io.tcpsim.socket;

/**
 * The socket calls a differential scenario makes, implemented by the Linux kernel (libc through
 * FFM) and by tcpsim's {@link SocketApi}: libc's return values, errno after a -1. Addresses are
 * IPv4 ints; {@code name} receives {address, port}.
 */
interface Sockets {
    int errno();

    int socket(int domain, int type, int protocol);

    int bind(int fd, int addr, int port);

    int listen(int fd, int backlog);

    int accept4(int fd, int flags);

    int connect(int fd, int addr, int port);

    long recv(int fd, byte[] buf, int len, int flags);

    long send(int fd, byte[] buf, int len, int flags);

    int shutdown(int fd, int how);

    int close(int fd);

    int getsockname(int fd, int[] name);

    int getpeername(int fd, int[] name);

    int fcntl(int fd, int cmd, int arg);

    int setsockopt(int fd, int level, int option, int value);

    /** The option's value, or -1. */
    int getsockopt(int fd, int level, int option);

    int setTimeout(int fd, int option, long sec, long usec);

    /** Fills {sec, usec}. */
    int getTimeout(int fd, int option, long[] timeval);

    /** FIONREAD's value, or -1. */
    int fionread(int fd);

    /** sockatmark(3): ioctl SIOCATMARK's value (1 at the urgent mark, else 0), or -1. */
    int sockatmark(int fd);

    /** revents of one descriptor, 0 on timeout, or -1. */
    int poll(int fd, int events, int timeoutMillis);

    /** sendto(2) to AF_INET addr:port. */
    long sendto(int fd, byte[] buf, int len, int flags, int addr, int port);

    /** recvfrom(2); {@code from} receives {address, port} of the sender (left alone when nothing is received). */
    long recvfrom(int fd, byte[] buf, int len, int flags, int[] from);

    /** connect(2) with an AF_UNSPEC address: dissolves a datagram socket's association. */
    int disconnect(int fd);

    // The socket-API issue's second part: scatter/gather, struct options, AF_INET6, epoll, ioctl.

    long read(int fd, byte[] buf, int len);

    long write(int fd, byte[] buf, int len);

    /** readv(2) into the arrays, iovcnt = bufs.length, each array whole. */
    long readv(int fd, byte[][] bufs);

    long writev(int fd, byte[][] bufs);

    /** sendmsg(2) of the arrays; with {@code named}, msg_name is the sockaddr_in 10.9.9.9:9. */
    long sendmsg(int fd, byte[][] bufs, int flags, boolean named);

    /** recvmsg(2) with room for a name and control data; out receives {namelen, controllen, flags}. */
    long recvmsg(int fd, byte[][] bufs, int flags, int[] out);

    /** setsockopt(2) with optlen bytes of optval. */
    int setsockopt(int fd, int level, int option, byte[] optval, int optlen);

    /** getsockopt(2) into optval; optlen[0] in and out. */
    int getsockopt(int fd, int level, int option, byte[] optval, int[] optlen);

    int setLinger(int fd, int onoff, int seconds);

    /** Fills {onoff, linger}. */
    int getLinger(int fd, int[] linger);

    /** bind(2) with a sockaddr_in6. */
    int bind6(int fd, byte[] addr, int port, int scopeId);

    int connect6(int fd, byte[] addr, int port, int scopeId);

    /** accept4(2) with room for a sockaddr_in6: addr receives the address, name {family, port}. */
    int accept6(int fd, byte[] addr, int[] name);

    int getsockname6(int fd, byte[] addr, int[] name);

    int getpeername6(int fd, byte[] addr, int[] name);

    /** ioctl(2) with an int result: the value, or -1. */
    int ioctl(int fd, int request);

    int epollCreate1(int flags);

    /** epoll_ctl(2); a null event passes NULL. */
    int epollCtl(int epfd, int op, int fd, EpollEvent event);

    /** epoll_wait(2): the count, events and data of each in events[i], data[i]. */
    int epollWait(int epfd, int maxEvents, int timeoutMillis, int[] events, long[] data);
}
