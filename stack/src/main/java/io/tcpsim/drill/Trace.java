package io.tcpsim.drill;

import java.io.PrintWriter;
import java.util.Locale;

/** Where {@code --trace} goes: one line per step, with the virtual time in seconds. */
@FunctionalInterface
public interface Trace {

    /** No trace. */
    Trace NONE = (nanos, text) -> { };

    void line(long nanos, String text);

    /** Lines like {@code   0.100000  < S 0:0(0) win 65535}. */
    static Trace to(PrintWriter out) {
        return (nanos, text) -> out.println(String.format(Locale.ROOT, "%10.6f  %s", nanos / 1e9, text));
    }
}
