package io.tcpsim.drill;

import java.util.List;

/**
 * What a system call did: its return value and errno (as libc reports them), and what differed
 * in the values it handed back by reference (getsockopt's value, poll's revents), in script syntax.
 */
record CallOutcome(long returned, int errno, List<String> differences) {

    static CallOutcome of(long returned, int errno) {
        return new CallOutcome(returned, errno, List.of());
    }
}
