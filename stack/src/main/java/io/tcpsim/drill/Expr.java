package io.tcpsim.drill;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A system call argument or result as a script writes it. */
public sealed interface Expr {

    /** An integer: decimal, hexadecimal or negative. */
    record Num(long value) implements Expr {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A symbolic constant ({@code SOCK_STREAM}, {@code ECONNREFUSED}), resolved by {@link Symbols}. */
    record Sym(String name) implements Expr {
        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code A|B|C}: the bitwise or of its parts. */
    record Or(List<Expr> parts) implements Expr {
        @Override
        public String toString() {
            return parts.stream().map(Object::toString).collect(Collectors.joining("|"));
        }
    }

    /** {@code ...}: an address, a buffer, or "whatever the runner picks". */
    record Ellipsis() implements Expr {
        @Override
        public String toString() {
            return "...";
        }
    }

    /** {@code [4]}, {@code [{...}, {...}]}: a value passed by reference, or an array. */
    record ListExpr(List<Expr> items) implements Expr {
        @Override
        public String toString() {
            return items.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** {@code {onoff=1, linger=0}}: a struct literal, fields in written order. */
    record Struct(Map<String, Expr> fields) implements Expr {
        @Override
        public String toString() {
            return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** A string literal. */
    record Str(String value) implements Expr {
        @Override
        public String toString() {
            return "\"" + value + "\"";
        }
    }
}
