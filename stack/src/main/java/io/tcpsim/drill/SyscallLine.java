package io.tcpsim.drill;

import java.util.List;

/**
 * A system call: {@code connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)}.
 *
 * @param name     the call
 * @param args     its arguments
 * @param expected the expected return value
 * @param errno    the expected errno name, or null
 * @param note     the free text in parentheses after it, or null
 */
public record SyscallLine(String name, List<Expr> args, Expr expected, String errno, String note) implements Action {

    public SyscallLine {
        args = List.copyOf(args);
    }
}
