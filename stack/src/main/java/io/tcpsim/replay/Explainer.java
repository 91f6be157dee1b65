package io.tcpsim.replay;

import io.tcpsim.pcap.SegmentLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The first divergence of a conversation, in words. */
final class Explainer {

    private Explainer() {
    }

    static String explain(Row row, ConversationRun r) {
        String who = "the captured " + (r.capturedIsClient ? "client" : "server");
        StringBuilder out = new StringBuilder();
        switch (row.verdict()) {
            case DIFFERS -> {
                out.append(at(row)).append(who).append(" sent ").append(row.captured().label()).append("; tcpsim sent ")
                        .append(row.tcpsim().label());
                long late = row.tcpsim().relNanos() - row.captured().relNanos();
                if (Math.abs(late) >= 1_000_000) {
                    out.append(String.format(Locale.ROOT, " (%+.3f s)", late / 1e9));
                }
                out.append(". ");
                for (Difference d : row.differences()) {
                    out.append(sentence(d, row)).append(' ');
                }
            }
            case MISSING -> out.append(at(row)).append(who).append(" sent ").append(row.captured().label())
                    .append("; tcpsim sent nothing in its place. ");
            case EXTRA -> out.append(String.format(Locale.ROOT, "At %.6f s tcpsim sent ", row.relNanos() / 1e9))
                    .append(row.tcpsim().label()).append(", which ").append(who).append(" did not send. ");
            default -> throw new IllegalArgumentException("not a divergence: " + row.verdict());
        }
        return out.append("Likely cause: ").append(row.cause().explanation()).append('.').toString();
    }

    private static String at(Row row) {
        return String.format(Locale.ROOT, "Frame %d at %.6f s: ", row.frame(), row.relNanos() / 1e9);
    }

    private static String sentence(Difference d, Row row) {
        return switch (d.field()) {
            case "flags" -> "Flags: the capture has " + SegmentLabel.flagWords(row.captured().flags()) + ", tcpsim "
                    + SegmentLabel.flagWords(row.tcpsim().flags()) + ".";
            case "seq" -> "Sequence: the captured segment starts at relative " + d.captured() + ", tcpsim's at "
                    + d.tcpsim() + ".";
            case "ack" -> "Acknowledgment: the captured side acknowledged up to relative " + d.captured()
                    + ", tcpsim up to " + d.tcpsim() + ".";
            case "length" -> "Length: " + d.captured() + " bytes in the capture, " + d.tcpsim() + " from tcpsim.";
            case "options" -> "Options: the capture has [" + d.captured() + "], tcpsim [" + d.tcpsim() + "]"
                    + onlyIn(row) + ".";
            default -> "Window: " + d.captured() + " in the capture, " + d.tcpsim() + " from tcpsim.";
        };
    }

    private static String onlyIn(Row row) {
        List<String> captured = new ArrayList<>(row.captured().optionKinds());
        captured.removeAll(row.tcpsim().optionKinds());
        List<String> tcpsim = new ArrayList<>(row.tcpsim().optionKinds());
        tcpsim.removeAll(row.captured().optionKinds());
        List<String> parts = new ArrayList<>();
        if (!captured.isEmpty()) {
            parts.add("only the capture: " + String.join(",", captured));
        }
        if (!tcpsim.isEmpty()) {
            parts.add("only tcpsim: " + String.join(",", tcpsim));
        }
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }
}
