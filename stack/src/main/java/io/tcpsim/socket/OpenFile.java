package io.tcpsim.socket;

/** What a descriptor refers to: a TCP socket, a UDP socket or an epoll instance. */
sealed interface OpenFile permits TcpSocket, UdpSocket, Epoll {

    /** Wakes every thread blocked on this file and every epoll instance watching it. */
    WaitQueue waiters();

    /** O_NONBLOCK (fcntl(2)); volatile in implementations: read by the calling thread. */
    boolean nonBlocking();

    void setNonBlocking(boolean on);

    /** The file was closed (close(2) removed its descriptor). */
    boolean isClosed();

    /** The poll(2) bits of the file now (Linux f_op->poll()); on the stack thread. */
    int pollMask();
}
