package io.tcpsim.socket;

/** {@code struct pollfd} (poll(2)): fd and events in, revents out. */
public final class PollFd {
    public int fd;
    public short events;
    public short revents;

    public PollFd(int fd, int events) {
        this.fd = fd;
        this.events = (short) events;
    }
}
