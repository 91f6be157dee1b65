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

    /** revents of one descriptor, 0 on timeout, or -1. */
    int poll(int fd, int events, int timeoutMillis);

    /** sendto(2) to AF_INET addr:port. */
    long sendto(int fd, byte[] buf, int len, int flags, int addr, int port);

    /** recvfrom(2); {@code from} receives {address, port} of the sender (left alone when nothing is received). */
    long recvfrom(int fd, byte[] buf, int len, int flags, int[] from);

    /** connect(2) with an AF_UNSPEC address: dissolves a datagram socket's association. */
    int disconnect(int fd);
}
