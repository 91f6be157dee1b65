package io.tcpsim.socket;

/** {@link Sockets} over tcpsim's {@link SocketApi}. */
final class TcpsimSockets implements Sockets {
    private final SocketApi api;

    TcpsimSockets(SocketApi api) {
        this.api = api;
    }

    @Override
    public int errno() {
        return SocketApi.errno();
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return api.socket(domain, type, protocol);
    }

    @Override
    public int bind(int fd, int addr, int port) {
        return api.bind(fd, SockAddrIn.of(addr, port));
    }

    @Override
    public int listen(int fd, int backlog) {
        return api.listen(fd, backlog);
    }

    @Override
    public int accept4(int fd, int flags) {
        return api.accept4(fd, null, flags);
    }

    @Override
    public int connect(int fd, int addr, int port) {
        return api.connect(fd, SockAddrIn.of(addr, port));
    }

    @Override
    public long recv(int fd, byte[] buf, int len, int flags) {
        return api.recv(fd, buf, 0, len, flags);
    }

    @Override
    public long send(int fd, byte[] buf, int len, int flags) {
        return api.send(fd, buf, 0, len, flags);
    }

    @Override
    public int shutdown(int fd, int how) {
        return api.shutdown(fd, how);
    }

    @Override
    public int close(int fd) {
        return api.close(fd);
    }

    @Override
    public int getsockname(int fd, int[] name) {
        SockAddrIn a = new SockAddrIn();
        int r = api.getsockname(fd, a);
        name[0] = a.address();
        name[1] = a.port();
        return r;
    }

    @Override
    public int getpeername(int fd, int[] name) {
        SockAddrIn a = new SockAddrIn();
        int r = api.getpeername(fd, a);
        name[0] = a.address();
        name[1] = a.port();
        return r;
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return api.fcntl(fd, cmd, arg);
    }

    @Override
    public int setsockopt(int fd, int level, int option, int value) {
        return api.setsockopt(fd, level, option, value);
    }

    @Override
    public int getsockopt(int fd, int level, int option) {
        int[] v = new int[1];
        return api.getsockopt(fd, level, option, v) < 0 ? -1 : v[0];
    }

    @Override
    public int setTimeout(int fd, int option, long sec, long usec) {
        return api.setsockopt(fd, SocketConstants.SOL_SOCKET, option, new Timeval(sec, usec));
    }

    @Override
    public int getTimeout(int fd, int option, long[] timeval) {
        Timeval[] tv = new Timeval[1];
        int r = api.getsockopt(fd, SocketConstants.SOL_SOCKET, option, tv);
        if (r == 0) {
            timeval[0] = tv[0].sec();
            timeval[1] = tv[0].usec();
        }
        return r;
    }

    @Override
    public int fionread(int fd) {
        int[] v = new int[1];
        return api.ioctl(fd, SocketConstants.FIONREAD, v) < 0 ? -1 : v[0];
    }

    @Override
    public int poll(int fd, int events, int timeoutMillis) {
        PollFd p = new PollFd(fd, events);
        int r = api.poll(new PollFd[] {p}, timeoutMillis);
        return r <= 0 ? r : p.revents & 0xFFFF;
    }

    @Override
    public long sendto(int fd, byte[] buf, int len, int flags, int addr, int port) {
        return api.sendto(fd, buf, 0, len, flags, SockAddrIn.of(addr, port));
    }

    @Override
    public long recvfrom(int fd, byte[] buf, int len, int flags, int[] from) {
        SockAddrIn a = new SockAddrIn();
        long r = api.recvfrom(fd, buf, 0, len, flags, a);
        if (r >= 0) {
            from[0] = a.address();
            from[1] = a.port();
        }
        return r;
    }

    @Override
    public int disconnect(int fd) {
        return api.connect(fd, new SockAddrIn(SocketConstants.AF_UNSPEC, 0, 0));
    }
}
