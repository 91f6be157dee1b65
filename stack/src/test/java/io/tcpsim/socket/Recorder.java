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
}
