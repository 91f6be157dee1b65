package io.tcpsim.socket;

import java.nio.ByteBuffer;

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
    public int sockatmark(int fd) {
        int[] v = new int[1];
        return api.ioctl(fd, SocketConstants.SIOCATMARK, v) < 0 ? -1 : v[0];
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

    @Override
    public long read(int fd, byte[] buf, int len) {
        return api.read(fd, buf, 0, len);
    }

    @Override
    public long write(int fd, byte[] buf, int len) {
        return api.write(fd, buf, 0, len);
    }

    @Override
    public long readv(int fd, byte[][] bufs) {
        return api.readv(fd, wrap(bufs));
    }

    @Override
    public long writev(int fd, byte[][] bufs) {
        return api.writev(fd, wrap(bufs));
    }

    @Override
    public long sendmsg(int fd, byte[][] bufs, int flags, boolean named) {
        MsgHdr msg = new MsgHdr(wrap(bufs));
        if (named) {
            msg.name = SockAddrIn.of(0x0A090909, 9);
        }
        return api.sendmsg(fd, msg, flags);
    }

    @Override
    public long recvmsg(int fd, byte[][] bufs, int flags, int[] out) {
        MsgHdr msg = new MsgHdr(wrap(bufs));
        msg.name = new SockAddrIn();
        msg.nameLength = 128;
        msg.control = new byte[64];
        msg.controlLength = 64;
        msg.flags = 0x7777;
        long r = api.recvmsg(fd, msg, flags);
        out[0] = msg.nameLength;
        out[1] = msg.controlLength;
        out[2] = msg.flags;
        return r;
    }

    private static ByteBuffer[] wrap(byte[][] bufs) {
        ByteBuffer[] out = new ByteBuffer[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            out[i] = ByteBuffer.wrap(bufs[i]);
        }
        return out;
    }

    @Override
    public int setsockopt(int fd, int level, int option, byte[] optval, int optlen) {
        return api.setsockopt(fd, level, option, optval, optlen);
    }

    @Override
    public int getsockopt(int fd, int level, int option, byte[] optval, int[] optlen) {
        return api.getsockopt(fd, level, option, optval, optlen);
    }

    @Override
    public int setLinger(int fd, int onoff, int seconds) {
        return api.setsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_LINGER, new Linger(onoff, seconds));
    }

    @Override
    public int getLinger(int fd, int[] linger) {
        Linger[] l = new Linger[1];
        int r = api.getsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_LINGER, l);
        if (r == 0) {
            linger[0] = l[0].onoff();
            linger[1] = l[0].linger();
        }
        return r;
    }

    @Override
    public int bind6(int fd, byte[] addr, int port, int scopeId) {
        return api.bind(fd, new SockAddrIn6(SocketConstants.AF_INET6, addr, port, 0, scopeId));
    }

    @Override
    public int connect6(int fd, byte[] addr, int port, int scopeId) {
        return api.connect(fd, new SockAddrIn6(SocketConstants.AF_INET6, addr, port, 0, scopeId));
    }

    @Override
    public int accept6(int fd, byte[] addr, int[] name) {
        SockAddrIn6 a = new SockAddrIn6();
        int r = api.accept4(fd, a, 0);
        copy(a, addr, name);
        return r;
    }

    @Override
    public int getsockname6(int fd, byte[] addr, int[] name) {
        SockAddrIn6 a = new SockAddrIn6();
        int r = api.getsockname(fd, a);
        copy(a, addr, name);
        return r;
    }

    @Override
    public int getpeername6(int fd, byte[] addr, int[] name) {
        SockAddrIn6 a = new SockAddrIn6();
        int r = api.getpeername(fd, a);
        copy(a, addr, name);
        return r;
    }

    private static void copy(SockAddrIn6 a, byte[] addr, int[] name) {
        name[0] = a.family();
        name[1] = a.port();
        System.arraycopy(a.address(), 0, addr, 0, 16);
    }

    @Override
    public int ioctl(int fd, int request) {
        int[] v = new int[1];
        return api.ioctl(fd, request, v) < 0 ? -1 : v[0];
    }

    @Override
    public int epollCreate1(int flags) {
        return api.epollCreate1(flags);
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, EpollEvent event) {
        return api.epollCtl(epfd, op, fd, event);
    }

    @Override
    public int epollWait(int epfd, int maxEvents, int timeoutMillis, int[] events, long[] data) {
        EpollEvent[] out = new EpollEvent[events.length];
        int r = api.epollWait(epfd, out, maxEvents, timeoutMillis);
        for (int i = 0; i < r; i++) {
            events[i] = out[i].events;
            data[i] = out[i].data;
        }
        return r;
    }
}
