package io.tcpsim.drill;

import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/** A call's arguments as values: integers, symbols and or-ed symbols, references, structs. */
final class Args {
    private final String call;
    private final int line;
    private final List<Expr> list;
    private final LongUnaryOperator fds;

    /**
     * @param fds maps a script descriptor to the live one (script descriptors are aliases)
     */
    Args(String call, int line, List<Expr> list, LongUnaryOperator fds) {
        this.call = call;
        this.line = line;
        this.list = list;
        this.fds = fds;
    }

    int size() {
        return list.size();
    }

    Expr get(int i) {
        if (i >= list.size()) {
            throw new ScriptException("", line, call + "() needs at least " + (i + 1) + " arguments");
        }
        return list.get(i);
    }

    boolean isEllipsis(int i) {
        return i >= list.size() || list.get(i) instanceof Expr.Ellipsis;
    }

    /** Argument i as a descriptor: the live one the script's number stands for. */
    int fd(int i) {
        return (int) fds.applyAsLong(integer(get(i)));
    }

    /** A struct field or list item as a descriptor. */
    int fd(Expr e) {
        return (int) fds.applyAsLong(integer(e));
    }

    /** Argument i as an integer ({@code [n]} is n by reference); {@code ...} is {@code otherwise}. */
    long integer(int i, long otherwise) {
        return isEllipsis(i) ? otherwise : integer(get(i));
    }

    int integer(int i) {
        return (int) integer(get(i));
    }

    long integer(Expr e) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Sym s -> symbol(s.name());
            case Expr.Or or -> or.parts().stream().mapToLong(this::integer).reduce(0, (a, b) -> a | b);
            case Expr.ListExpr l when l.items().size() == 1 -> integer(l.items().getFirst());
            default -> throw new UnsupportedException(line, call + "(): an integer was expected, not " + e);
        };
    }

    long symbol(String name) {
        return Symbols.value(name).orElseThrow(() -> new UnsupportedException(line, "unknown symbol " + name));
    }

    /** Argument i as a struct's fields ({@code [{...}]} too). */
    Map<String, Expr> struct(int i) {
        Expr e = get(i);
        if (e instanceof Expr.ListExpr l && l.items().size() == 1) {
            e = l.items().getFirst();
        }
        if (e instanceof Expr.Struct s) {
            return s.fields();
        }
        throw new UnsupportedException(line, call + "(): a struct was expected, not " + e);
    }

    /** Argument i as a list of structs ({@code [{...}, {...}]}). */
    List<Map<String, Expr>> structs(int i) {
        Expr e = get(i);
        if (e instanceof Expr.ListExpr l) {
            return l.items().stream().map(item -> {
                if (item instanceof Expr.Struct s) {
                    return s.fields();
                }
                throw new UnsupportedException(line, call + "(): a list of structs was expected, not " + e);
            }).toList();
        }
        return List.of(struct(i));
    }
}
