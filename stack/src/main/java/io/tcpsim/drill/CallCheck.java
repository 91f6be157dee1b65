package io.tcpsim.drill;

import io.tcpsim.socket.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A system call line's outcome against what the script expects, and both in words. */
final class CallCheck {
    /** The calls whose result is a new descriptor: any value >= 0 passes, the script's number aliases it. */
    static final Set<String> FD_CALLS = Set.of("socket", "accept", "accept4", "epoll_create", "epoll_create1");

    private CallCheck() {
    }

    /** What is wrong with a call's outcome, or null. */
    static String problem(Event e, SyscallLine s, CallOutcome o) {
        List<String> wrong = new ArrayList<>(o.differences());
        if (!(s.expected() instanceof Expr.Ellipsis)) {
            Args a = new Args(s.name(), e.line(), List.of(s.expected()), fd -> (int) fd);
            long want = a.integer(0);
            boolean ok = FD_CALLS.contains(s.name()) && want >= 0 ? o.returned() >= 0 : o.returned() == want;
            if (!ok) {
                return "returned " + result(o.returned(), o.errno()) + " but the script expects " + want
                        + (s.errno() == null ? "" : " " + s.errno());
            }
            if (o.returned() < 0 && s.errno() != null) {
                long errno = a.symbol(s.errno());
                if (errno != o.errno()) {
                    wrong.add("errno: expected " + s.errno() + " but got " + Errno.name(o.errno()));
                }
            }
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    static String result(long returned, int errno) {
        return returned < 0 ? returned + " " + Errno.name(errno) : Long.toString(returned);
    }

    static String callText(SyscallLine s) {
        return s.name() + "(" + s.args().stream().map(Object::toString).collect(Collectors.joining(", ")) + ") = "
                + s.expected() + (s.errno() == null ? "" : " " + s.errno());
    }
}
