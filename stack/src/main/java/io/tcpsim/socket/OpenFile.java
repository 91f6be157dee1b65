package io.tcpsim.socket;

/** What a descriptor refers to: a TCP socket, a UDP socket or an epoll instance. */
sealed interface OpenFile permits TcpSocket, UdpSocket, Epoll {

    /** Wakes every thread blocked on this file and every epoll instance watching it. */
    WaitQueue waiters();

    /** O_NONBLOCK (fcntl(2)); volatile in implementations: read by the calling thread. */
    boolean nonBlocking();

    void setNonBlocking(boolean on);
}
