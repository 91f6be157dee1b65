package io.tcpsim.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Sockets} that writes every call's outcome to a trace, "call=result" or "call=-1 errno",
 * with descriptors written as "fd" (their numbers are not compared), and remembers the
 * descriptors it opened so that {@link #closeAll} can release them after the scenario.
 */
final class Recorder implements Sockets {
    private final Sockets inner;
    private final List<String> trace;
    private final List<Integer> opened = new ArrayList<>();

    Recorder(Sockets inner, List<String> trace) {
        this.inner = inner;
        this.trace = trace;
    }

    private long log(String call, long r) {
        trace.add(call + "=" + (r == -1 ? "-1 errno " + inner.errno() : Long.toString(r)));
        return r;
    }

    private int fd(String call, int r) {
        if (r >= 0) {
            opened.add(r);
            trace.add(call + "=fd");
        } else {
            log(call, r);
        }
        return r;
    }

    void closeAll() {
        for (int fd : opened) {
            inner.close(fd);
        }
    }

    @Override
    public int errno() {
        return inner.errno();
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return fd("socket", inner.socket(domain, type, protocol));
    }

    @Override
    public int bind(int fd, int addr, int port) {
        return (int) log("bind", inner.bind(fd, addr, port));
    }

    @Override
    public int listen(int fd, int backlog) {
        return (int) log("listen", inner.listen(fd, backlog));
    }

    @Override
    public int accept4(int fd, int flags) {
        return fd("accept4", inner.accept4(fd, flags));
    }

    @Override
    public int connect(int fd, int addr, int port) {
        return (int) log("connect", inner.connect(fd, addr, port));
    }

    @Override
    public long recv(int fd, byte[] buf, int len, int flags) {
        return log("recv", inner.recv(fd, buf, len, flags));
    }

    @Override
    public long send(int fd, byte[] buf, int len, int flags) {
        return log("send", inner.send(fd, buf, len, flags));
    }

    @Override
    public int shutdown(int fd, int how) {
        return (int) log("shutdown", inner.shutdown(fd, how));
    }

    @Override
    public int close(int fd) {
        int r = inner.close(fd);
        if (r == 0) {
            opened.remove(Integer.valueOf(fd));
        }
        return (int) log("close", r);
    }

    @Override
    public int getsockname(int fd, int[] name) {
        return (int) log("getsockname", inner.getsockname(fd, name));
    }

    @Override
    public int getpeername(int fd, int[] name) {
        return (int) log("getpeername", inner.getpeername(fd, name));
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return (int) log("fcntl", inner.fcntl(fd, cmd, arg));
    }

    @Override
    public int setsockopt(int fd, int level, int option, int value) {
        return (int) log("setsockopt", inner.setsockopt(fd, level, option, value));
    }

    @Override
    public int getsockopt(int fd, int level, int option) {
        return (int) log("getsockopt", inner.getsockopt(fd, level, option));
    }

    @Override
    public int setTimeout(int fd, int option, long sec, long usec) {
        return (int) log("setsockopt(timeval)", inner.setTimeout(fd, option, sec, usec));
    }

    @Override
    public int getTimeout(int fd, int option, long[] timeval) {
        int r = inner.getTimeout(fd, option, timeval);
        log("getsockopt(timeval)", r);
        trace.add("timeval=" + timeval[0] + "." + timeval[1]);
        return r;
    }

    @Override
    public int fionread(int fd) {
        return (int) log("ioctl(FIONREAD)", inner.fionread(fd));
    }

    @Override
    public int sockatmark(int fd) {
        return (int) log("ioctl(SIOCATMARK)", inner.sockatmark(fd));
    }

    @Override
    public int poll(int fd, int events, int timeoutMillis) {
        return (int) log("poll", inner.poll(fd, events, timeoutMillis));
    }

    @Override
    public long sendto(int fd, byte[] buf, int len, int flags, int addr, int port) {
        return log("sendto", inner.sendto(fd, buf, len, flags, addr, port));
    }

    @Override
    public long recvfrom(int fd, byte[] buf, int len, int flags, int[] from) {
        return log("recvfrom", inner.recvfrom(fd, buf, len, flags, from));
    }

    @Override
    public int disconnect(int fd) {
        return (int) log("connect(AF_UNSPEC)", inner.disconnect(fd));
    }

    /** The unrecorded calls underneath. */
    Sockets inner() {
        return inner;
    }

    @Override
    public long read(int fd, byte[] buf, int len) {
        return log("read", inner.read(fd, buf, len));
    }

    @Override
    public long write(int fd, byte[] buf, int len) {
        return log("write", inner.write(fd, buf, len));
    }

    @Override
    public long readv(int fd, byte[][] bufs) {
        return log("readv", inner.readv(fd, bufs));
    }

    @Override
    public long writev(int fd, byte[][] bufs) {
        return log("writev", inner.writev(fd, bufs));
    }

    @Override
    public long sendmsg(int fd, byte[][] bufs, int flags, boolean named) {
        return log("sendmsg", inner.sendmsg(fd, bufs, flags, named));
    }

    @Override
    public long recvmsg(int fd, byte[][] bufs, int flags, int[] out) {
        long r = log("recvmsg", inner.recvmsg(fd, bufs, flags, out));
        if (r >= 0) {
            trace.add("msg namelen=" + out[0] + " controllen=" + out[1] + " flags=" + out[2]);
        }
        return r;
    }

    @Override
    public int setsockopt(int fd, int level, int option, byte[] optval, int optlen) {
        return (int) log("setsockopt(bytes)", inner.setsockopt(fd, level, option, optval, optlen));
    }

    @Override
    public int getsockopt(int fd, int level, int option, byte[] optval, int[] optlen) {
        int r = (int) log("getsockopt(bytes)", inner.getsockopt(fd, level, option, optval, optlen));
        if (r == 0) {
            StringBuilder b = new StringBuilder("optlen=" + optlen[0] + " bytes=");
            for (int i = 0; i < optlen[0]; i++) {
                b.append(String.format("%02x", optval[i]));
            }
            trace.add(b.toString());
        }
        return r;
    }

    @Override
    public int setLinger(int fd, int onoff, int seconds) {
        return (int) log("setsockopt(linger)", inner.setLinger(fd, onoff, seconds));
    }

    @Override
    public int getLinger(int fd, int[] linger) {
        int r = (int) log("getsockopt(linger)", inner.getLinger(fd, linger));
        if (r == 0) {
            trace.add("linger=" + linger[0] + "," + linger[1]);
        }
        return r;
    }

    @Override
    public int bind6(int fd, byte[] addr, int port, int scopeId) {
        return (int) log("bind6", inner.bind6(fd, addr, port, scopeId));
    }

    @Override
    public int connect6(int fd, byte[] addr, int port, int scopeId) {
        return (int) log("connect6", inner.connect6(fd, addr, port, scopeId));
    }

    @Override
    public int accept6(int fd, byte[] addr, int[] name) {
        return fd("accept6", inner.accept6(fd, addr, name));
    }

    @Override
    public int getsockname6(int fd, byte[] addr, int[] name) {
        return (int) log("getsockname6", inner.getsockname6(fd, addr, name));
    }

    @Override
    public int getpeername6(int fd, byte[] addr, int[] name) {
        return (int) log("getpeername6", inner.getpeername6(fd, addr, name));
    }

    @Override
    public int ioctl(int fd, int request) {
        return (int) log("ioctl(" + Integer.toHexString(request) + ")", inner.ioctl(fd, request));
    }

    @Override
    public int epollCreate1(int flags) {
        return fd("epoll_create1", inner.epollCreate1(flags));
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, EpollEvent event) {
        return (int) log("epoll_ctl", inner.epollCtl(epfd, op, fd, event));
    }

    @Override
    public int epollWait(int epfd, int maxEvents, int timeoutMillis, int[] events, long[] data) {
        int r = (int) log("epoll_wait", inner.epollWait(epfd, maxEvents, timeoutMillis, events, data));
        for (int i = 0; i < r; i++) {
            trace.add("event data=" + data[i] + " events=0x" + Integer.toHexString(events[i]));
        }
        return r;
    }
}
