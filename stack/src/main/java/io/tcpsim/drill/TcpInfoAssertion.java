package io.tcpsim.drill;

import io.tcpsim.tcp.TcpInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code %{ }%} block: packetdrill runs it as Python after the script with the TCP_INFO read
 * when the block's time came. tcpsim takes its {@code assert FIELD OP CONSTANT} lines over the
 * fields of the struct getsockopt(TCP_INFO) returned ({@link TcpInfoFields}); any other code is
 * reported as skipped.
 */
final class TcpInfoAssertion {
    private static final Pattern ASSERT = Pattern.compile(
            "assert\\s+(\\w+)\\s*(==|!=|<=|>=|<|>)\\s*(-?\\w+)\\s*(?:,.*)?");

    private TcpInfoAssertion() {
    }

    /** The outcome of a block: failed assertions and skipped lines, each in words. */
    record Outcome(List<String> failures, List<String> skipped) {
    }

    static Outcome check(String code, TcpInfo info) {
        List<String> failures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String raw : code.split("[\\n;]")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = ASSERT.matcher(line);
            if (!m.matches()) {
                skipped.add(line);
                continue;
            }
            Long actual = info == null ? null : TcpInfoFields.value(info, m.group(1));
            OptionalLong expected = constant(m.group(3));
            if (actual == null || expected.isEmpty()) {
                skipped.add(line);
            } else if (!holds(actual, m.group(2), expected.getAsLong())) {
                failures.add(line + " (" + m.group(1) + " is " + actual + ")");
            }
        }
        return new Outcome(failures, skipped);
    }

    private static OptionalLong constant(String text) {
        try {
            return OptionalLong.of(Long.decode(text));
        } catch (NumberFormatException e) {
            return Symbols.value(text);
        }
    }

    private static boolean holds(long a, String op, long b) {
        return switch (op) {
            case "==" -> a == b;
            case "!=" -> a != b;
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            default -> a >= b;
        };
    }
}
