package io.tcpsim.drill;

import io.tcpsim.socket.EpollEvent;
import io.tcpsim.socket.Errno;
import io.tcpsim.socket.Linger;
import io.tcpsim.socket.PollFd;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketConstants;
import io.tcpsim.socket.Timeval;
import io.tcpsim.tcp.TcpInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The script's system calls on {@link SocketApi}, run on a call thread: arguments from script
 * syntax ({@code ...} is packetdrill's address or buffer), the values returned by reference
 * compared with the script's ({@code [ECONNREFUSED]}, {@code [4]}, poll's revents, epoll_wait's
 * event). Buffers are zeros, as packetdrill's are.
 */
final class Calls {
    private static final int INT_LENGTH = 4;
    private static final int TIMEVAL_LENGTH = 16;
    private static final int LINGER_LENGTH = 8;

    private final SocketApi api;
    private final Endpoints endpoints;

    Calls(SocketApi api, Endpoints endpoints) {
        this.api = api;
        this.endpoints = endpoints;
    }

    /** Runs {@code call}; throws {@link UnsupportedException} for a call outside the subset. */
    CallOutcome run(SyscallLine call, Args a) {
        return switch (call.name()) {
            case "socket" -> plain(api.socket(endpoints.domain(a.isEllipsis(0) ? SocketConstants.AF_INET : a.integer(0)),
                    a.integer(1), a.integer(2)));
            case "bind" -> plain(api.bind(a.fd(0), endpoints.localName()));
            case "listen" -> plain(api.listen(a.fd(0), a.integer(1)));
            case "accept" -> plain(api.accept(a.fd(0), endpoints.emptyName()));
            case "accept4" -> plain(api.accept4(a.fd(0), endpoints.emptyName(), a.integer(3)));
            case "connect" -> plain(api.connect(a.fd(0), endpoints.remoteName()));
            case "read" -> plain(api.read(a.fd(0), buffer(a, 2), 0, a.integer(2)));
            case "recv" -> plain(api.recv(a.fd(0), buffer(a, 2), 0, a.integer(2), a.integer(3)));
            case "recvfrom" -> plain(api.recvfrom(a.fd(0), buffer(a, 2), 0, a.integer(2), a.integer(3), new SockAddrIn()));
            case "write" -> plain(api.write(a.fd(0), buffer(a, 2), 0, a.integer(2)));
            case "send" -> plain(api.send(a.fd(0), buffer(a, 2), 0, a.integer(2), a.integer(3)));
            case "sendto" -> plain(api.sendto(a.fd(0), buffer(a, 2), 0, a.integer(2), a.integer(3), null));
            case "shutdown" -> plain(api.shutdown(a.fd(0), a.integer(1)));
            case "close" -> plain(api.close(a.fd(0)));
            case "getsockname" -> plain(api.getsockname(a.fd(0), endpoints.emptyName()));
            case "getpeername" -> plain(api.getpeername(a.fd(0), endpoints.emptyName()));
            case "fcntl" -> plain(api.fcntl(a.fd(0), a.integer(1), a.size() > 2 ? a.integer(2) : 0));
            case "setsockopt" -> setsockopt(a);
            case "getsockopt" -> getsockopt(a);
            case "ioctl" -> ioctl(a);
            case "poll" -> poll(a);
            case "epoll_create" -> epollCreate(a);
            case "epoll_create1" -> plain(api.epollCreate1(a.integer(0)));
            case "epoll_ctl" -> plain(api.epollCtl(a.fd(0), a.integer(1), a.fd(2), epollEvent(a, 3)));
            case "epoll_wait" -> epollWait(a);
            default -> throw new UnsupportedException(0, "system call " + call.name() + "() is not in tcpsim's SocketApi");
        };
    }

    private static CallOutcome plain(long returned) {
        return CallOutcome.of(returned, returned < 0 ? SocketApi.errno() : 0);
    }

    private static byte[] buffer(Args a, int countArg) {
        return new byte[Math.max(0, a.integer(countArg))];
    }

    private CallOutcome setsockopt(Args a) {
        int fd = a.fd(0);
        int level = a.integer(1);
        int name = a.integer(2);
        Expr value = a.get(3);
        if (value instanceof Expr.Struct || (value instanceof Expr.ListExpr l && l.items().size() == 1
                && l.items().getFirst() instanceof Expr.Struct)) {
            Map<String, Expr> fields = a.struct(3);
            if (fields.containsKey("tv_sec")) {
                return plain(api.setsockopt(fd, level, name, new Timeval(a.integer(fields.get("tv_sec")),
                        a.integer(fields.getOrDefault("tv_usec", new Expr.Num(0))))));
            } else if (fields.containsKey("onoff")) {
                return plain(api.setsockopt(fd, level, name, new Linger((int) a.integer(fields.get("onoff")),
                        (int) a.integer(fields.getOrDefault("linger", new Expr.Num(0))))));
            }
            throw new UnsupportedException(0, "setsockopt with " + value + ": SocketApi has no call for that struct");
        }
        return plain(api.setsockopt(fd, level, name, (int) a.integer(value)));
    }

    /**
     * getsockopt(TCP_INFO) with a {@code {tcpi_state=..., tcpi_snd_mss=...}} struct: each named field
     * compared with the struct the socket layer returned ({@link TcpInfoFields}); {@code ...} checks
     * only the call's result. A field struct tcp_info does not have is a bad script.
     */
    private CallOutcome tcpInfo(Args a, int fd) {
        byte[] bytes = new byte[TcpInfo.SIZE];
        int[] length = {bytes.length};
        int r = api.getsockopt(fd, SocketConstants.IPPROTO_TCP, SocketConstants.TCP_INFO, bytes, length);
        List<String> differences = new ArrayList<>();
        if (r == 0 && !a.isEllipsis(3)) {
            TcpInfo info = TcpInfo.wrap(bytes, length[0]);
            for (Map.Entry<String, Expr> want : a.struct(3).entrySet()) {
                Long actual = TcpInfoFields.value(info, want.getKey());
                if (actual == null) {
                    throw new UnsupportedException(0, "struct tcp_info has no field " + want.getKey() + " in tcpsim");
                }
                compare(differences, want.getKey(), a.integer(want.getValue()), actual);
            }
        }
        return result(r, differences, a, length[0]);
    }

    /** TCP_INFO of {@code fd} as getsockopt(2) returns it; null when the call fails. */
    TcpInfo tcpInfo(int fd) {
        byte[] bytes = new byte[TcpInfo.SIZE];
        int[] length = {bytes.length};
        int r = api.getsockopt(fd, SocketConstants.IPPROTO_TCP, SocketConstants.TCP_INFO, bytes, length);
        return r == 0 ? TcpInfo.wrap(bytes, length[0]) : null;
    }

    private CallOutcome getsockopt(Args a) {
        int fd = a.fd(0);
        int level = a.integer(1);
        int name = a.integer(2);
        List<String> differences = new ArrayList<>();
        if (name == SocketConstants.SO_RCVTIMEO || name == SocketConstants.SO_SNDTIMEO) {
            Timeval[] tv = new Timeval[1];
            int r = api.getsockopt(fd, level, name, tv);
            if (r == 0 && !a.isEllipsis(3)) {
                Map<String, Expr> want = a.struct(3);
                compare(differences, "tv_sec", a.integer(want.get("tv_sec")), tv[0].sec());
                compare(differences, "tv_usec", a.integer(want.getOrDefault("tv_usec", new Expr.Num(0))), tv[0].usec());
            }
            return result(r, differences, a, TIMEVAL_LENGTH);
        } else if (name == SocketConstants.SO_LINGER) {
            Linger[] linger = new Linger[1];
            int r = api.getsockopt(fd, level, name, linger);
            if (r == 0 && !a.isEllipsis(3)) {
                Map<String, Expr> want = a.struct(3);
                compare(differences, "onoff", a.integer(want.get("onoff")), linger[0].onoff());
                compare(differences, "linger", a.integer(want.getOrDefault("linger", new Expr.Num(0))), linger[0].linger());
            }
            return result(r, differences, a, LINGER_LENGTH);
        }
        if (level == SocketConstants.IPPROTO_TCP && name == SocketConstants.TCP_INFO) {
            return tcpInfo(a, fd);
        } else if (a.get(3) instanceof Expr.Struct) {
            throw new UnsupportedException(0, "getsockopt of a struct (" + a.get(3) + "): SocketApi has no call for it");
        }
        int[] value = new int[1];
        int r = api.getsockopt(fd, level, name, value);
        if (r == 0 && !a.isEllipsis(3)) {
            compare(differences, "value", s32(a.integer(a.get(3))), value[0]);
        }
        return result(r, differences, a, INT_LENGTH);
    }

    /** The call's result, with the returned length (argument 4, {@code [4]}) checked on success. */
    private CallOutcome result(int r, List<String> differences, Args a, int length) {
        int errno = r < 0 ? SocketApi.errno() : 0;
        if (r == 0 && a.size() > 4 && !a.isEllipsis(4)) {
            compare(differences, "length", a.integer(a.get(4)), length);
        }
        return new CallOutcome(r, errno, List.copyOf(differences));
    }

    private CallOutcome ioctl(Args a) {
        int[] value = new int[1];
        int r = api.ioctl(a.fd(0), a.integer(1), value);
        int errno = r < 0 ? SocketApi.errno() : 0;
        List<String> differences = new ArrayList<>();
        if (r == 0 && !a.isEllipsis(2)) {
            compare(differences, "value", a.integer(a.get(2)), value[0]);
        }
        return new CallOutcome(r, errno, List.copyOf(differences));
    }

    private CallOutcome poll(Args a) {
        List<Map<String, Expr>> wanted = a.structs(0);
        PollFd[] fds = new PollFd[wanted.size()];
        for (int i = 0; i < fds.length; i++) {
            Map<String, Expr> f = wanted.get(i);
            fds[i] = new PollFd(a.fd(f.get("fd")), (int) a.integer(f.getOrDefault("events", new Expr.Num(0))));
        }
        int r = api.poll(fds, a.integer(2));
        int errno = r < 0 ? SocketApi.errno() : 0;
        List<String> differences = new ArrayList<>();
        for (int i = 0; r >= 0 && i < fds.length; i++) {
            Expr revents = wanted.get(i).get("revents");
            if (revents != null) {
                compare(differences, "revents of fd " + wanted.get(i).get("fd"), a.integer(revents), fds[i].revents & 0xFFFF);
            }
        }
        return new CallOutcome(r, errno, List.copyOf(differences));
    }

    private CallOutcome epollCreate(Args a) {
        if (a.integer(0) <= 0) {
            return CallOutcome.of(-1, Errno.EINVAL); // epoll_create(2): size must be positive
        }
        return plain(api.epollCreate1(0));
    }

    /** A struct epoll_event: {@code {events=EPOLLIN, fd=4}} (the data word holds the script's fd, or ptr/u32/u64). */
    private static EpollEvent epollEvent(Args a, int i) {
        if (a.isEllipsis(i)) {
            return null;
        }
        Map<String, Expr> f = a.struct(i);
        return new EpollEvent((int) a.integer(f.getOrDefault("events", new Expr.Num(0))), data(a, f));
    }

    private static long data(Args a, Map<String, Expr> f) {
        for (String key : List.of("fd", "ptr", "u32", "u64", "data")) {
            if (f.containsKey(key)) {
                return a.integer(f.get(key));
            }
        }
        return 0;
    }

    private CallOutcome epollWait(Args a) {
        int max = a.integer(2);
        EpollEvent[] events = new EpollEvent[Math.max(1, max)];
        for (int i = 0; i < events.length; i++) {
            events[i] = new EpollEvent();
        }
        int r = api.epollWait(a.fd(0), events, max, a.integer(3));
        int errno = r < 0 ? SocketApi.errno() : 0;
        List<String> differences = new ArrayList<>();
        if (r > 0 && !a.isEllipsis(1)) {
            Map<String, Expr> want = a.struct(1);
            compare(differences, "events", a.integer(want.getOrDefault("events", new Expr.Num(0))), events[0].events);
            if (want.keySet().stream().anyMatch(k -> List.of("fd", "u32", "u64", "data").contains(k))) {
                compare(differences, "data", data(a, want), events[0].data);
            }
        }
        return new CallOutcome(r, errno, List.copyOf(differences));
    }

    /**
     * An int option value as packetdrill's get_s32() takes it: INT_MIN..UINT_MAX, compared as the
     * 32-bit int it stores (so 0xffffffff reads back as -1).
     */
    private static int s32(long value) {
        if (value < Integer.MIN_VALUE || value > 0xFFFF_FFFFL) {
            throw new EventFailure("value out of range for a 32-bit integer: " + value);
        }
        return (int) value;
    }

    private static void compare(List<String> differences, String what, long expected, long actual) {
        if (expected != actual) {
            differences.add(what + ": expected " + expected + " but got " + actual);
        }
    }
}
