package io.tcpsim.replay;

import io.tcpsim.pcap.PassiveTracker;
import io.tcpsim.pcap.Segment;
import io.tcpsim.pcap.SegmentLabel;
import io.tcpsim.wire.TcpPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one conversation's replay into rows: the peer's segments as injected, each captured-side
 * segment paired ({@link Alignment}) with the tcpsim segment sent in its place and compared on
 * flags, relative seq and ack, payload length, option kinds and optionally the window, and
 * tcpsim's unpaired segments as extras; each row that differs gets its likely {@link Cause}.
 */
final class Verdicts {

    private Verdicts() {
    }

    static ConversationResult of(ConversationRun r, boolean compareWindow, long endNanos) {
        List<Segment> capturedSegments = new ArrayList<>();
        List<SegView> captured = new ArrayList<>();
        for (Segment s : r.conversation.segments()) {
            if (r.fromCaptured(s)) {
                capturedSegments.add(s);
                captured.add(view(s, r));
            }
        }
        List<ConversationRun.Emitted> sent = r.emitted.stream().filter(e -> !e.synthetic()).toList();
        int tcpsimBase = r.tcpsimIss == null ? 0 : r.tcpsimIss;
        List<SegView> tcpsim = sent.stream().map(e -> view(e, tcpsimBase, r.peerBase)).toList();
        int[] pairs = Alignment.align(captured, tcpsim);
        Classifier classify = new Classifier(r, tcpsim, trackerNotes(r));
        List<Row> rows = capturedRows(r, capturedSegments, captured, tcpsim, sent, pairs, compareWindow, classify);
        insertTcpsimRows(rows, r, tcpsim, sent, pairs, endNanos, classify);
        String first = rows.stream().filter(row -> row.verdict().differs()).findFirst()
                .map(row -> Explainer.explain(row, r)).orElse("");
        return new ConversationResult(r.conversation, r.role, r.midStream, r.notes, rows, first);
    }

    /** A captured segment of either side, relative to its sender's and receiver's bases. */
    static SegView view(Segment s, ConversationRun r) {
        boolean captured = r.fromCaptured(s);
        return SegView.of(s.epochNanos() - r.zeroEpochNanos, s.flags(), s.seq(), s.ack(), s.window(),
                s.payloadLength(), s.options(), captured ? r.capturedBase : r.peerBase,
                captured ? r.peerBase : r.capturedBase);
    }

    private static SegView view(ConversationRun.Emitted e, int seqBase, int ackBase) {
        return SegView.of(e.relNanos(), e.segment().flags(), e.segment().seq(), e.segment().ack(),
                e.segment().window(), (int) e.segment().payload().byteSize(), e.segment().options(), seqBase, ackBase);
    }

    private static Map<Integer, List<String>> trackerNotes(ConversationRun r) {
        Map<Integer, List<String>> notes = new HashMap<>();
        for (PassiveTracker.Observation o : PassiveTracker.track(r.conversation)) {
            notes.put(o.segment().frame(), o.notes());
        }
        return notes;
    }

    private static List<Row> capturedRows(ConversationRun r, List<Segment> capturedSegments, List<SegView> captured,
                                          List<SegView> tcpsim, List<ConversationRun.Emitted> sent, int[] pairs,
                                          boolean compareWindow, Classifier classify) {
        Map<Segment, ConversationRun.Injected> injected = new IdentityHashMap<>();
        r.injected.forEach(i -> injected.put(i.captured(), i));
        List<Row> rows = new ArrayList<>();
        String capturedSide = r.capturedIsClient ? "client" : "server";
        String peerSide = r.capturedIsClient ? "server" : "client";
        int next = 0;
        for (Segment s : r.conversation.segments()) {
            long at = s.epochNanos() - r.zeroEpochNanos;
            List<String> notes = new ArrayList<>(classify.trackerNotes(s.frame()));
            if (!r.fromCaptured(s)) {
                ConversationRun.Injected i = injected.get(s);
                if (i != null) {
                    notes.addAll(i.notes());
                }
                rows.add(new Row(s.frame(), at, peerSide, Verdict.INJECTED, view(s, r), null, List.of(), null, notes,
                        i == null ? "" : i.stateAfter()));
                continue;
            }
            int index = next++;
            SegView c = captured.get(index);
            if (pairs[index] < 0) {
                rows.add(new Row(s.frame(), at, capturedSide, Verdict.MISSING, c, null, List.of(),
                        classify.missing(c, s.frame()), notes, ""));
                continue;
            }
            SegView t = tcpsim.get(pairs[index]);
            List<Difference> differences = compare(c, t, compareWindow);
            Verdict v = differences.isEmpty() ? Verdict.MATCHED : Verdict.DIFFERS;
            rows.add(new Row(s.frame(), at, capturedSide, v, c, t, differences,
                    v == Verdict.MATCHED ? null : classify.differs(c, t, differences), notes,
                    sent.get(pairs[index]).stateAfter()));
        }
        return rows;
    }

    private static void insertTcpsimRows(List<Row> rows, ConversationRun r, List<SegView> tcpsim,
                                         List<ConversationRun.Emitted> sent, int[] pairs, long endNanos,
                                         Classifier classify) {
        boolean[] paired = new boolean[tcpsim.size()];
        for (int p : pairs) {
            if (p >= 0) {
                paired[p] = true;
            }
        }
        int afterPrevious = 0;
        for (int j = 0; j < tcpsim.size(); j++) {
            SegView t = tcpsim.get(j);
            if (paired[j]) {
                afterPrevious = Math.max(afterPrevious, indexOf(rows, t) + 1);
                continue;
            }
            Verdict v = t.relNanos() > endNanos ? Verdict.AFTER_END : Verdict.EXTRA;
            Row row = new Row(0, t.relNanos(), "tcpsim", v, null, t, List.of(),
                    v == Verdict.EXTRA ? classify.extra(t, j) : null, List.of(), sent.get(j).stateAfter());
            int at = Math.max(afterPrevious, insertionByTime(rows, t.relNanos()));
            rows.add(at, row);
            afterPrevious = at + 1;
        }
        int position = 0;
        for (ConversationRun.Emitted e : r.emitted) {
            if (e.synthetic()) {
                SegView t = view(e, r.tcpsimIss == null ? 0 : r.tcpsimIss, r.peerBase);
                rows.add(position++, new Row(0, e.relNanos(), "tcpsim", Verdict.SYNTHETIC, null, t, List.of(), null,
                        List.of("made-up handshake of a mid-stream capture"), e.stateAfter()));
            }
        }
    }

    private static int indexOf(List<Row> rows, SegView t) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).tcpsim() == t) {
                return i;
            }
        }
        return -1;
    }

    private static int insertionByTime(List<Row> rows, long at) {
        int i = 0;
        while (i < rows.size() && rows.get(i).relNanos() <= at) {
            i++;
        }
        return i;
    }

    /** The compared fields that differ, captured value first. */
    static List<Difference> compare(SegView c, SegView t, boolean compareWindow) {
        List<Difference> d = new ArrayList<>();
        if (c.flags() != t.flags()) {
            d.add(new Difference("flags", SegmentLabel.flags(c.flags()), SegmentLabel.flags(t.flags())));
        }
        if (c.relSeq() != t.relSeq()) {
            d.add(new Difference("seq", String.valueOf(c.relSeq()), String.valueOf(t.relSeq())));
        }
        if (c.has(TcpPacket.ACK) && t.has(TcpPacket.ACK) && c.relAck() != t.relAck()) {
            d.add(new Difference("ack", String.valueOf(c.relAck()), String.valueOf(t.relAck())));
        }
        if (c.payloadLength() != t.payloadLength()) {
            d.add(new Difference("length", String.valueOf(c.payloadLength()), String.valueOf(t.payloadLength())));
        }
        if (!c.optionKinds().equals(t.optionKinds())) {
            d.add(new Difference("options", String.join(",", c.optionKinds()), String.join(",", t.optionKinds())));
        }
        if (compareWindow && c.window() != t.window()) {
            d.add(new Difference("window", String.valueOf(c.window()), String.valueOf(t.window())));
        }
        return d;
    }
}
