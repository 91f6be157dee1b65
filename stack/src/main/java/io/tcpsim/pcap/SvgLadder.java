package io.tcpsim.pcap;

import java.util.Locale;

/**
 * A {@link Ladder} as an SVG sequence diagram: the two lifelines, one arrow per segment sloping
 * down from sender to receiver and labelled with its flags, relative seq and ack, window,
 * length and options, a time axis on the left (seconds since the first segment, one tick per
 * arrow), and each side's state written beside its lifeline where it changes. The document is
 * self-contained (styles inline, no scripts, no external references).
 */
public final class SvgLadder {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final int WIDTH = 980;
    private static final int AXIS_X = 84;
    private static final int LEFT_X = 300;
    private static final int RIGHT_X = 780;
    private static final int TOP = 96;
    private static final int ROW = 42;
    private static final int SLOPE = 16;
    private static final int BOTTOM = 30;

    private SvgLadder() {
    }

    public static String render(Ladder ladder) {
        int height = TOP + ROW * Math.max(1, ladder.rows().size()) + BOTTOM;
        StringBuilder svg = new StringBuilder(4096 + 400 * ladder.rows().size());
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" "
                        + "font-size=\"11\">%n", SVG_NS, WIDTH, height, WIDTH, height));
        svg.append("<title>").append(escape(ladder.title())).append("</title>\n");
        svg.append(STYLE);
        svg.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\"/>\n");
        text(svg, "title", WIDTH / 2, 20, "middle", ladder.title());
        lifelines(svg, ladder, height);
        axis(svg, ladder, height);
        arrows(svg, ladder);
        states(svg, ladder);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void lifelines(StringBuilder svg, Ladder ladder, int height) {
        svg.append("<g id=\"lifelines\">\n");
        for (int x : new int[] {LEFT_X, RIGHT_X}) {
            svg.append(String.format(Locale.ROOT, "<line class=\"lifeline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                    x, 56, x, height - BOTTOM / 2));
        }
        text(svg, "name", LEFT_X, 50, "middle", ladder.left());
        text(svg, "name", RIGHT_X, 50, "middle", ladder.right());
        svg.append("</g>\n");
    }

    private static void axis(StringBuilder svg, Ladder ladder, int height) {
        svg.append("<g id=\"axis\">\n");
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                AXIS_X, TOP - 20, AXIS_X, height - BOTTOM / 2));
        text(svg, "axis-title", AXIS_X - 6, TOP - 26, "end", "time (s)");
        for (int i = 0; i < ladder.rows().size(); i++) {
            int y = rowY(i);
            svg.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                    AXIS_X - 4, y, AXIS_X + 4, y));
            text(svg, "time", AXIS_X - 6, y + 4, "end",
                    String.format(Locale.ROOT, "%.6f", ladder.rows().get(i).relNanos() / 1e9));
        }
        svg.append("</g>\n");
    }

    private static void arrows(StringBuilder svg, Ladder ladder) {
        svg.append("<g id=\"arrows\">\n");
        for (int i = 0; i < ladder.rows().size(); i++) {
            Ladder.Row row = ladder.rows().get(i);
            int y = rowY(i);
            int from = row.leftToRight() ? LEFT_X : RIGHT_X;
            int to = row.leftToRight() ? RIGHT_X - 2 : LEFT_X + 2;
            String style = row.style().name().toLowerCase(Locale.ROOT);
            svg.append("<g class=\"row\">\n");
            svg.append(String.format(Locale.ROOT,
                    "<line class=\"arrow %s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#head-%s)\"/>%n",
                    style, from, y, to, y + SLOPE, style));
            text(svg, "label", (LEFT_X + RIGHT_X) / 2, y + 3, "middle", row.label());
            if (!row.note().isEmpty()) {
                text(svg, "note", (LEFT_X + RIGHT_X) / 2, y + SLOPE + 12, "middle", row.note());
            }
            svg.append("</g>\n");
        }
        svg.append("</g>\n");
    }

    private static void states(StringBuilder svg, Ladder ladder) {
        svg.append("<g id=\"states\">\n");
        text(svg, "state", LEFT_X - 8, TOP - 24, "end", ladder.leftInitial());
        text(svg, "state", RIGHT_X + 8, TOP - 24, "start", ladder.rightInitial());
        for (int i = 0; i < ladder.rows().size(); i++) {
            Ladder.Row row = ladder.rows().get(i);
            int y = rowY(i);
            if (row.leftState() != null) {
                text(svg, "state", LEFT_X - 8, y + (row.leftToRight() ? 4 : SLOPE + 4), "end", row.leftState());
            }
            if (row.rightState() != null) {
                text(svg, "state", RIGHT_X + 8, y + (row.leftToRight() ? SLOPE + 4 : 4), "start", row.rightState());
            }
        }
        svg.append("</g>\n");
    }

    private static int rowY(int i) {
        return TOP + ROW * i;
    }

    private static void text(StringBuilder svg, String cssClass, int x, int y, String anchor, String content) {
        svg.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">", cssClass, x, y,
                anchor)).append(escape(content)).append("</text>\n");
    }

    /** XML character escaping for text and attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(ch < 0x20 && ch != '\t' && ch != '\n' ? '?' : ch);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            <defs>
            <style>
            .background { fill: #ffffff; }
            .title { font-size: 13px; font-weight: bold; }
            .name { font-weight: bold; }
            .lifeline { stroke: #555555; stroke-width: 2; }
            .axis, .tick { stroke: #999999; stroke-width: 1; }
            .time, .axis-title { fill: #555555; font-size: 10px; }
            .arrow { stroke-width: 1.5; fill: none; }
            .normal, .matched { stroke: #1f4e9c; }
            .noted { stroke: #1f4e9c; stroke-dasharray: 6 3; }
            .reset { stroke: #c0392b; }
            .differs { stroke: #d35400; stroke-width: 2.5; }
            .missing { stroke: #aaaaaa; stroke-dasharray: 3 3; }
            .extra { stroke: #8e44ad; stroke-width: 2.5; }
            .label { fill: #111111; }
            .note { fill: #7f4f00; font-size: 10px; font-style: italic; }
            .state { fill: #006d2c; font-weight: bold; }
            </style>
            <marker id="head-normal" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#1f4e9c"/></marker>
            <marker id="head-matched" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#1f4e9c"/></marker>
            <marker id="head-noted" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#1f4e9c"/></marker>
            <marker id="head-reset" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#c0392b"/></marker>
            <marker id="head-differs" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#d35400"/></marker>
            <marker id="head-missing" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#aaaaaa"/></marker>
            <marker id="head-extra" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#8e44ad"/></marker>
            </defs>
            """;
}
