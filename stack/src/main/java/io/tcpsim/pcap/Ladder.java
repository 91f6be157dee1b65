package io.tcpsim.pcap;

import io.tcpsim.wire.TcpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequence diagram of one conversation: two lifelines, one arrow per segment, state changes
 * beside each lifeline. Drawn by {@link TextLadder} and {@link SvgLadder}.
 *
 * @param title        one line above the diagram
 * @param left         the left lifeline's name (e.g. "client 10.0.2.15.44188")
 * @param right        the right lifeline's name
 * @param leftInitial  the left side's state before the first arrow
 * @param rightInitial the right side's state before the first arrow
 * @param rows         the arrows in time order
 */
public record Ladder(String title, String left, String right, String leftInitial, String rightInitial,
                     List<Row> rows) {
    public Ladder {
        rows = List.copyOf(rows);
    }

    /** How an arrow is drawn. */
    public enum Style {
        /** An ordinary segment. */
        NORMAL,
        /** A retransmission, a probe or anything the notes flag: dashed. */
        NOTED,
        /** A RST. */
        RESET,
        /** Replay: a segment tcpsim sent that matched the capture. */
        MATCHED,
        /** Replay: a segment tcpsim sent that differs from the captured one. */
        DIFFERS,
        /** Replay: a segment the captured side sent and tcpsim did not (drawn faint, dashed). */
        MISSING,
        /** Replay: a segment tcpsim sent that the captured side did not. */
        EXTRA
    }

    /**
     * One arrow.
     *
     * @param relNanos    time since the conversation's first segment
     * @param leftToRight the left side sent it
     * @param label       the text on the arrow
     * @param leftState   the left side's new state when it changed with this arrow, else null
     * @param rightState  the right side's new state when it changed, else null
     * @param note        extra words (retransmission, verdict, ...), or empty
     */
    public record Row(long relNanos, boolean leftToRight, String label, String leftState, String rightState,
                      Style style, String note) {
    }

    /** The ladder of a captured conversation: client on the left, server on the right. */
    public static Ladder of(String title, Conversation c, List<PassiveTracker.Observation> observations) {
        List<Row> rows = new ArrayList<>();
        for (PassiveTracker.Observation o : observations) {
            Segment s = o.segment();
            String label = SegmentLabel.compact(s.flags(), o.relSeq(), o.relAck(), s.window(), s.payloadLength(),
                    s.options());
            Style style = s.has(TcpPacket.RST) ? Style.RESET
                    : o.notes().isEmpty() ? Style.NORMAL : Style.NOTED;
            rows.add(new Row(s.epochNanos() - c.startNanos(), o.fromClient(), label,
                    o.clientChanged() ? o.client().name() : null, o.serverChanged() ? o.server().name() : null,
                    style, String.join(", ", o.notes())));
        }
        return new Ladder(title, "client " + c.client(), "server " + c.server(), SideState.CLOSED.name(),
                SideState.CLOSED.name(), rows);
    }
}
