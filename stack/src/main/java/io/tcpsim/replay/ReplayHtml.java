package io.tcpsim.replay;

import io.tcpsim.pcap.Ladder;
import io.tcpsim.pcap.SvgLadder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A replay as one self-contained HTML page: the settings, per conversation the tally, the first
 * divergence, the verdict table, and a ladder with the peer on the left and tcpsim on the right
 * (tcpsim's segments coloured by verdict, the captured segments tcpsim did not send drawn faint).
 */
public final class ReplayHtml {

    private ReplayHtml() {
    }

    public static String render(ReplayResult result) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc("tcpsim replay of " + result.file().getFileName())).append("</title>\n")
                .append(STYLE).append("</head><body>\n");
        out.append("<h1>").append(esc("tcpsim replay of " + result.file().getFileName())).append("</h1>\n");
        out.append("<p>Profile ").append(esc(result.profile().label()))
                .append(result.compareWindow() ? ", window compared" : "").append(". tcpsim's settings: ")
                .append(esc(String.join(", ", result.settings().notes()))).append(".</p>\n");
        out.append("<p class=\"tally\">").append(esc(result.tally())).append("</p>\n");
        for (String note : result.notes()) {
            out.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        for (ConversationResult c : result.conversations()) {
            conversation(out, c);
        }
        return out.append("</body></html>\n").toString();
    }

    private static void conversation(StringBuilder out, ConversationResult c) {
        out.append("<h2>").append(esc(String.format(Locale.ROOT, "Conversation %d: client %s, server %s; tcpsim plays the %s",
                c.conversation().number(), c.conversation().client(), c.conversation().server(), c.role().word())))
                .append("</h2>\n");
        out.append("<p class=\"tally\">").append(c.matched()).append(" matched, ").append(c.differ())
                .append(" differ</p>\n");
        if (!c.firstDivergence().isEmpty()) {
            out.append("<p class=\"divergence\"><b>First divergence.</b> ").append(esc(c.firstDivergence()))
                    .append("</p>\n");
        }
        out.append("<ul>");
        c.notes().forEach(n -> out.append("<li>").append(esc(n)).append("</li>"));
        out.append("</ul>\n<table>\n<tr><th>frame</th><th>time (s)</th><th>side</th><th>verdict</th>"
                + "<th>captured</th><th>tcpsim</th><th>differs</th><th>cause</th><th>notes</th></tr>\n");
        for (Row r : c.rows()) {
            out.append("<tr class=\"").append(r.verdict().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                    .append(r.frame() == 0 ? "" : r.frame()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.6f", r.relNanos() / 1e9)).append("</td><td>")
                    .append(esc(r.side())).append("</td><td>").append(esc(r.verdict().word())).append("</td><td>")
                    .append(r.captured() == null ? "" : esc(r.captured().label())).append("</td><td>")
                    .append(r.tcpsim() == null ? "" : esc(r.tcpsim().label())).append("</td><td>")
                    .append(esc(r.differences().stream().map(Difference::field).collect(Collectors.joining(","))))
                    .append("</td><td>").append(r.cause() == null ? "" : esc(r.cause().key())).append("</td><td>")
                    .append(esc(String.join("; ", r.notes()))).append("</td></tr>\n");
        }
        out.append("</table>\n");
        String svg = SvgLadder.render(ladder(c));
        out.append("<div class=\"ladder\">").append(svg.substring(svg.indexOf("<svg"))).append("</div>\n");
    }

    /** The peer on the left, tcpsim on the right; tcpsim's state written where it changes. */
    static Ladder ladder(ConversationResult c) {
        List<Ladder.Row> rows = new ArrayList<>();
        String lastState = "CLOSED";
        for (Row r : c.rows()) {
            boolean fromPeer = r.verdict() == Verdict.INJECTED;
            SegView shown = fromPeer || r.verdict() == Verdict.MISSING ? r.captured() : r.tcpsim();
            String state = r.tcpsimState().isEmpty() || r.tcpsimState().equals(lastState) ? null : r.tcpsimState();
            if (state != null) {
                lastState = state;
            }
            String note = r.verdict() == Verdict.INJECTED ? "" : r.verdict().word()
                    + (r.cause() == null ? "" : " (" + r.cause().key() + ")");
            rows.add(new Ladder.Row(shown.relNanos(), fromPeer, shown.label(), null, state, style(r.verdict()), note));
        }
        String peer = c.role() == Role.SERVER ? "client " + c.conversation().client()
                : "server " + c.conversation().server();
        return new Ladder("tcpsim replay, conversation " + c.conversation().number(), "peer (captured) " + peer,
                "tcpsim as the " + c.role().word(), "", "CLOSED", rows);
    }

    private static Ladder.Style style(Verdict v) {
        return switch (v) {
            case INJECTED -> Ladder.Style.NORMAL;
            case MATCHED -> Ladder.Style.MATCHED;
            case DIFFERS -> Ladder.Style.DIFFERS;
            case MISSING -> Ladder.Style.MISSING;
            case EXTRA -> Ladder.Style.EXTRA;
            case AFTER_END, SYNTHETIC -> Ladder.Style.NOTED;
        };
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = """
            <style>
            body { font-family: sans-serif; margin: 2em; }
            table { border-collapse: collapse; font-family: monospace; font-size: 12px; }
            td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
            tr.matched td { background: #eef7ee; }
            tr.differs td { background: #fde8d7; }
            tr.missing td { background: #eeeeee; color: #666; }
            tr.extra td { background: #f1e4f7; }
            tr.injected td { color: #333; }
            .tally { font-weight: bold; }
            .divergence { background: #fff6d5; padding: 0.5em; }
            .note { color: #7f4f00; }
            .ladder { margin-top: 1em; }
            </style>
            """;
}
