package io.tcpsim.replay;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The terminal report of a replay: settings, a verdict per packet, the tally, the first divergence. */
public final class ReplayText {

    private ReplayText() {
    }

    public static String render(ReplayResult result) {
        StringBuilder out = new StringBuilder();
        out.append("replay of ").append(result.file().getFileName()).append(" with the ")
                .append(result.profile().label()).append(" profile")
                .append(result.compareWindow() ? ", window compared" : "").append(nl());
        out.append("tcpsim is 10.0.0.2 (fd00::2 over IPv6), each peer address 10.0.1.N (fd00:1::N), ports as captured; "
                + "tcpsim's settings: ")
                .append(String.join(", ", result.settings().notes())).append(nl());
        result.notes().forEach(n -> out.append("note: ").append(n).append(nl()));
        for (ConversationResult c : result.conversations()) {
            conversation(out, c);
        }
        out.append("total: ").append(result.tally()).append(nl());
        return out.toString();
    }

    private static void conversation(StringBuilder out, ConversationResult c) {
        out.append(nl()).append(String.format(Locale.ROOT, "conversation %d: client %s, server %s; tcpsim plays the %s%n",
                c.conversation().number(), c.conversation().client(), c.conversation().server(), c.role().word()));
        c.notes().forEach(n -> out.append("  note: ").append(n).append(nl()));
        out.append(String.format(Locale.ROOT, "%7s %11s  %-6s  %-9s  %s%n", "frame", "time", "side", "verdict",
                "segment (relative numbers)"));
        for (Row row : c.rows()) {
            row(out, row);
        }
        out.append(String.format(Locale.ROOT, "conversation %d: %d matched, %d differ (%d differing, %d missing, %d extra)",
                c.conversation().number(), c.matched(), c.differ(), c.count(Verdict.DIFFERS), c.count(Verdict.MISSING),
                c.count(Verdict.EXTRA)));
        out.append(causes(c.causes())).append(nl());
        if (!c.firstDivergence().isEmpty()) {
            out.append("first divergence: ").append(c.firstDivergence()).append(nl());
        }
    }

    private static void row(StringBuilder out, Row row) {
        String frame = row.frame() == 0 ? "" : String.valueOf(row.frame());
        SegView shown = row.captured() != null ? row.captured() : row.tcpsim();
        String tail = switch (row.verdict()) {
            case MATCHED -> String.format(Locale.ROOT, "  (tcpsim %+.6f s)",
                    (row.tcpsim().relNanos() - row.captured().relNanos()) / 1e9);
            case MISSING -> "  <- tcpsim sent nothing here [" + row.cause().key() + "]";
            case EXTRA -> "  [" + row.cause().key() + "]";
            default -> "";
        };
        out.append(String.format(Locale.ROOT, "%7s %11.6f  %-6s  %-9s  %s%s%n", frame, row.relNanos() / 1e9,
                row.side(), row.verdict().word(), shown.label(), tail));
        if (row.verdict() == Verdict.DIFFERS) {
            String fields = row.differences().stream().map(Difference::field).collect(Collectors.joining(","));
            out.append(String.format(Locale.ROOT, "%7s %11.6f  %-6s  %-9s  %s  <- %s differ [%s]%n", "",
                    row.tcpsim().relNanos() / 1e9, "tcpsim", "", row.tcpsim().label(), fields, row.cause().key()));
        }
        if (!row.notes().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%31s(%s)%n", "", String.join("; ", row.notes())));
        }
    }

    private static String causes(Map<Cause, Long> causes) {
        if (causes.isEmpty()) {
            return "";
        }
        return causes.entrySet().stream().map(e -> e.getKey().key() + " " + e.getValue())
                .collect(Collectors.joining(", ", "; causes: ", ""));
    }

    private static String nl() {
        return System.lineSeparator();
    }
}
