package io.tcpsim.replay;

import io.tcpsim.pcap.Segment;
import io.tcpsim.wire.TcpPacket;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the likely {@link Cause} of a row that differs, from the fields that differ, the kind of
 * segment, and what the passive tracker noted about the captured segment.
 */
final class Classifier {
    private static final Set<String> SACK_KINDS = Set.of("sackOK", "sack");
    private static final Set<String> FAST_OPEN_KINDS = Set.of("opt-34", "opt-254");

    private final ConversationRun run;
    private final List<SegView> tcpsim;
    private final Map<Integer, List<String>> trackerNotes;
    /** The relative acknowledgment that covers the peer's FIN; -1 when the peer sent none. */
    private final long peerFinAck;
    /** A SYN of the conversation carried data (TCP Fast Open): everything after it diverges. */
    private final boolean synHasData;
    /** The captured side's data as relative [start, end) ranges. */
    private final List<long[]> capturedData;

    Classifier(ConversationRun run, List<SegView> tcpsim, Map<Integer, List<String>> trackerNotes) {
        this.run = run;
        this.tcpsim = tcpsim;
        this.trackerNotes = trackerNotes;
        Segment peerFin = run.conversation.segments().stream()
                .filter(s -> !run.fromCaptured(s) && s.has(TcpPacket.FIN)).findFirst().orElse(null);
        this.peerFinAck = peerFin == null ? -1
                : Integer.toUnsignedLong(peerFin.seq() - run.peerBase) + peerFin.payloadLength() + 1;
        this.synHasData = run.conversation.segments().stream()
                .anyMatch(s -> s.has(TcpPacket.SYN) && s.payloadLength() > 0);
        this.capturedData = run.conversation.segments().stream()
                .filter(s -> run.fromCaptured(s) && s.payloadLength() > 0 && !s.has(TcpPacket.SYN))
                .map(s -> {
                    long start = Integer.toUnsignedLong(s.seq() - run.capturedBase);
                    return new long[] {start, start + s.payloadLength()};
                }).toList();
    }

    List<String> trackerNotes(int frame) {
        return trackerNotes.getOrDefault(frame, List.of());
    }

    Cause differs(SegView c, SegView t, List<Difference> differences) {
        Set<String> fields = new HashSet<>();
        differences.forEach(d -> fields.add(d.field()));
        if (synHasData) {
            return Cause.FAST_OPEN;
        } else if (fields.contains("length")) {
            return Cause.SEGMENTATION;
        } else if (fields.contains("seq")) {
            return Cause.SEQUENCE;
        } else if (fields.contains("ack")) {
            return Cause.ACK_VALUE;
        } else if (fields.contains("flags")) {
            return flagsCause(c, t);
        } else if (fields.contains("options")) {
            return optionsCause(c, t);
        }
        return Cause.WINDOW;
    }

    private static Cause flagsCause(SegView c, SegView t) {
        int changed = c.flags() ^ t.flags();
        if (changed == TcpPacket.PSH) {
            return Cause.PSH;
        } else if ((changed & ~TcpPacket.PSH) == TcpPacket.FIN && c.has(TcpPacket.FIN) && c.payloadLength() > 0) {
            return Cause.FIN_ON_DATA;
        } else if ((changed & (TcpPacket.FIN | TcpPacket.RST)) != 0) {
            return Cause.CLOSE;
        }
        return Cause.OTHER;
    }

    private static Cause optionsCause(SegView c, SegView t) {
        Set<String> onlyOne = new HashSet<>(c.optionKinds());
        onlyOne.addAll(t.optionKinds());
        Set<String> both = new HashSet<>(c.optionKinds());
        both.retainAll(t.optionKinds());
        onlyOne.removeAll(both);
        if (SACK_KINDS.containsAll(onlyOne)) {
            return Cause.SACK;
        } else if (onlyOne.stream().anyMatch(FAST_OPEN_KINDS::contains)) {
            return Cause.FAST_OPEN;
        }
        return Cause.OPTIONS;
    }

    Cause missing(SegView c, int frame) {
        if (synHasData) {
            return Cause.FAST_OPEN;
        }
        List<String> notes = trackerNotes(frame);
        boolean retransmission = notes.contains("retransmission") || notes.contains("partly retransmitted");
        if (notes.contains("zero window probe") || notes.contains("keep-alive")) {
            return Cause.PROBE_TIMING;
        } else if (retransmission) {
            return c.has(TcpPacket.SYN) ? Cause.SYN_RETRIES : Cause.RETRANSMISSION;
        } else if (c.pureAck() && notes.contains("window update")) {
            return Cause.WINDOW_UPDATE;
        } else if (c.pureAck()) {
            return c.relAck() == peerFinAck ? Cause.FIN_ACK : Cause.ACK_TIMING;
        } else if (c.has(TcpPacket.FIN) || c.has(TcpPacket.RST)) {
            return Cause.CLOSE;
        } else if (c.payloadLength() > 0) {
            return Cause.SEGMENTATION;
        }
        return Cause.OTHER;
    }

    /** tcpsim's unpaired segment {@code index}. */
    Cause extra(SegView t, int index) {
        if (synHasData) {
            return Cause.FAST_OPEN;
        } else if (t.payloadLength() > 0 && notCaptured(t)) {
            return Cause.CAPTURE_LOSS;
        } else if (t.has(TcpPacket.SYN)) {
            return Cause.SYN_RETRIES;
        } else if (t.has(TcpPacket.FIN) && t.payloadLength() == 0 && capturedFinOnDataEndsAt(t.relSeq())) {
            return Cause.FIN_ON_DATA;
        } else if (t.has(TcpPacket.RST) || t.has(TcpPacket.FIN)) {
            return Cause.CLOSE;
        } else if (t.payloadLength() > 0) {
            return retransmitted(t, index) ? Cause.RETRANSMISSION : Cause.SEGMENTATION;
        } else if (t.pureAck() && t.relSeq() < highestSent(index)) {
            return Cause.PROBE_TIMING;
        } else if (t.pureAck() && t.relAck() == peerFinAck) {
            return firstAckOf(t, index) ? Cause.FIN_ACK : Cause.ACK_TIMING;
        } else if (t.pureAck() && index > 0 && tcpsim.get(index - 1).relAck() == t.relAck()
                && tcpsim.get(index - 1).window() != t.window()) {
            return Cause.WINDOW_UPDATE;
        }
        return Cause.ACK_TIMING;
    }

    /** The captured side sent its FIN on a data segment ending at {@code relSeq}. */
    private boolean capturedFinOnDataEndsAt(long relSeq) {
        return run.conversation.segments().stream().anyMatch(s -> run.fromCaptured(s) && s.has(TcpPacket.FIN)
                && s.payloadLength() > 0 && Integer.toUnsignedLong(s.seq() - run.capturedBase) + s.payloadLength()
                == relSeq);
    }

    /** No captured segment of the captured side carries any of these bytes. */
    private boolean notCaptured(SegView t) {
        long start = t.relSeq();
        long end = start + t.payloadLength();
        return capturedData.stream().noneMatch(r -> r[0] < end && start < r[1]);
    }

    /** tcpsim had already sent part of these bytes. */
    private boolean retransmitted(SegView t, int index) {
        return t.relSeq() < highestSent(index);
    }

    /** The relative end of what tcpsim had sent before segment {@code index} (SYN and FIN counted). */
    private long highestSent(int index) {
        long highest = 0;
        for (int i = 0; i < index; i++) {
            SegView earlier = tcpsim.get(i);
            int control = (earlier.has(TcpPacket.SYN) ? 1 : 0) + (earlier.has(TcpPacket.FIN) ? 1 : 0);
            highest = Math.max(highest, earlier.relSeq() + earlier.payloadLength() + control);
        }
        return highest;
    }

    private boolean firstAckOf(SegView t, int index) {
        for (int i = 0; i < index; i++) {
            if (tcpsim.get(i).has(TcpPacket.ACK) && tcpsim.get(i).relAck() == t.relAck()) {
                return false;
            }
        }
        return run.conversation.segments().stream().noneMatch(s -> run.fromCaptured(s) && s.pureAck()
                && Integer.toUnsignedLong(s.ack() - run.peerBase) == t.relAck());
    }
}
