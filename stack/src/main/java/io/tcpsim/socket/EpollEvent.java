package io.tcpsim.socket;

/** {@code struct epoll_event} (epoll_ctl(2)): the event bits and the caller's data word. */
public final class EpollEvent {
    public int events;
    public long data;

    public EpollEvent() {
    }

    public EpollEvent(int events, long data) {
        this.events = events;
        this.data = data;
    }
}
