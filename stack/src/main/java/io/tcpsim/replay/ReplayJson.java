package io.tcpsim.replay;

import io.tcpsim.pcap.SegmentLabel;
import java.util.List;
import java.util.Locale;

/**
 * A replay as JSON (one object; no library: the structure is small and fixed):
 * {@code {"file", "profile", "compareWindow", "settings": [..], "notes": [..], "matched", "differ",
 * "conversations": [{"number", "client", "server", "role", "midStream", "matched", "differ",
 * "missing", "extra", "notes", "firstDivergence", "rows": [{"frame", "time", "side", "verdict",
 * "captured": {..}, "tcpsim": {..}, "differences": [{"field", "captured", "tcpsim"}], "cause",
 * "notes", "tcpsimState"}]}]}}; a segment is {@code {"time", "flags", "seq", "ack", "window",
 * "length", "options": [..]}} with relative numbers.
 */
public final class ReplayJson {

    private ReplayJson() {
    }

    public static String render(ReplayResult result) {
        StringBuilder out = new StringBuilder();
        out.append("{\"file\":").append(str(result.file().toString()))
                .append(",\"profile\":").append(str(result.profile().label()))
                .append(",\"compareWindow\":").append(result.compareWindow())
                .append(",\"settings\":").append(strings(result.settings().notes()))
                .append(",\"notes\":").append(strings(result.notes()))
                .append(",\"matched\":").append(result.matched())
                .append(",\"differ\":").append(result.differ())
                .append(",\"conversations\":[");
        for (int i = 0; i < result.conversations().size(); i++) {
            out.append(i == 0 ? "" : ",");
            conversation(out, result.conversations().get(i));
        }
        return out.append("]}\n").toString();
    }

    private static void conversation(StringBuilder out, ConversationResult c) {
        out.append("{\"number\":").append(c.conversation().number())
                .append(",\"client\":").append(str(c.conversation().client().toString()))
                .append(",\"server\":").append(str(c.conversation().server().toString()))
                .append(",\"role\":").append(str(c.role().word()))
                .append(",\"midStream\":").append(c.midStream())
                .append(",\"matched\":").append(c.matched())
                .append(",\"differ\":").append(c.differ())
                .append(",\"missing\":").append(c.count(Verdict.MISSING))
                .append(",\"extra\":").append(c.count(Verdict.EXTRA))
                .append(",\"notes\":").append(strings(c.notes()))
                .append(",\"firstDivergence\":").append(str(c.firstDivergence()))
                .append(",\"rows\":[");
        for (int i = 0; i < c.rows().size(); i++) {
            out.append(i == 0 ? "" : ",");
            row(out, c.rows().get(i));
        }
        out.append("]}");
    }

    private static void row(StringBuilder out, Row r) {
        out.append("{\"frame\":").append(r.frame())
                .append(",\"time\":").append(String.format(Locale.ROOT, "%.9f", r.relNanos() / 1e9))
                .append(",\"side\":").append(str(r.side()))
                .append(",\"verdict\":").append(str(r.verdict().word()))
                .append(",\"captured\":").append(segment(r.captured()))
                .append(",\"tcpsim\":").append(segment(r.tcpsim()))
                .append(",\"differences\":[");
        for (int i = 0; i < r.differences().size(); i++) {
            Difference d = r.differences().get(i);
            out.append(i == 0 ? "" : ",").append("{\"field\":").append(str(d.field()))
                    .append(",\"captured\":").append(str(d.captured()))
                    .append(",\"tcpsim\":").append(str(d.tcpsim())).append('}');
        }
        out.append("],\"cause\":").append(r.cause() == null ? "null" : str(r.cause().key()))
                .append(",\"notes\":").append(strings(r.notes()))
                .append(",\"tcpsimState\":").append(str(r.tcpsimState())).append('}');
    }

    private static String segment(SegView s) {
        if (s == null) {
            return "null";
        }
        return "{\"time\":" + String.format(Locale.ROOT, "%.9f", s.relNanos() / 1e9)
                + ",\"flags\":" + str(SegmentLabel.flags(s.flags()))
                + ",\"seq\":" + s.relSeq() + ",\"ack\":" + s.relAck() + ",\"window\":" + s.window()
                + ",\"length\":" + s.payloadLength()
                + ",\"options\":" + strings(SegmentLabel.optionKinds(s.options())) + "}";
    }

    private static String strings(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(str(values.get(i)));
        }
        return out.append(']').toString();
    }

    /** A JSON string literal (RFC 8259 §7). */
    static String str(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
