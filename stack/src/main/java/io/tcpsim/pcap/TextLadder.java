package io.tcpsim.pcap;

/**
 * The compact terminal form of a {@link Ladder}: one line per arrow with the time, the left
 * side's state when it changed ("|" when not), the arrow and its label, the right side's state.
 * <pre>
 *     0.000000  SYN_SENT     S seq 0 win 29200 [mss 1460,TS,wscale 6] --------&gt;  LISTEN
 *     0.116805  ESTABLISHED  &lt;-------- S. seq 0 ack 1 win 65535 [mss 1460]      SYN_RECEIVED
 * </pre>
 */
public final class TextLadder {
    private static final int STATE_WIDTH = 12;
    private static final int MIN_ARROW = 24;

    private TextLadder() {
    }

    public static String render(Ladder ladder) {
        int width = MIN_ARROW;
        for (Ladder.Row row : ladder.rows()) {
            width = Math.max(width, row.label().length() + 6);
        }
        StringBuilder out = new StringBuilder();
        int rightColumn = 12 + 2 + STATE_WIDTH + 1 + width + 2;
        out.append(padRight(String.format("%12s  %s  ", "time", ladder.left()), rightColumn, ' '))
                .append(ladder.right()).append(System.lineSeparator());
        out.append(String.format("%12s  %-" + STATE_WIDTH + "s %-" + width + "s  %s%n", "",
                ladder.leftInitial(), "", ladder.rightInitial()));
        for (Ladder.Row row : ladder.rows()) {
            String arrow = row.leftToRight()
                    ? padRight(row.label() + " ", width - 2, '-') + "->"
                    : "<-" + padLeft(" " + row.label(), width - 2, '-');
            out.append(String.format("%12.6f  %-" + STATE_WIDTH + "s %s  %s", row.relNanos() / 1e9,
                    row.leftState() == null ? "|" : row.leftState(), arrow,
                    row.rightState() == null ? "|" : row.rightState()));
            if (!row.note().isEmpty()) {
                out.append("  (").append(row.note()).append(')');
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String padRight(String text, int width, char fill) {
        return text + String.valueOf(fill).repeat(Math.max(0, width - text.length()));
    }

    private static String padLeft(String text, int width, char fill) {
        return String.valueOf(fill).repeat(Math.max(0, width - text.length())) + text;
    }
}
