package io.tcpsim.pcap;

import io.tcpsim.wire.TcpdumpFormatter;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code tcpsim show} prints: the conversation list of a capture, and one conversation's
 * packets as tcpdump prints them (relative sequence numbers; frame number and time since the
 * conversation's first packet in front) with both sides' inferred states and the notes below
 * each packet.
 */
public final class ShowText {
    private static final int MAX_SKIPPED_LISTED = 10;

    private ShowText() {
    }

    /** The file's summary, what was skipped and why, and the table of conversations. */
    public static String summary(CaptureSummary capture) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %d frames, link type %d (%s), %d TCP segments in %d conversation%s%n",
                capture.capture().file().getFileName(), capture.capture().framesInFile(),
                capture.capture().linkType(), LinkHeader.name(capture.capture().linkType()),
                capture.segments().size(), capture.conversations().size(),
                capture.conversations().size() == 1 ? "" : "s"));
        if (capture.capture().frames().size() != capture.capture().framesInFile()) {
            out.append(String.format(Locale.ROOT, "filter kept %d of %d frames%n", capture.capture().frames().size(),
                    capture.capture().framesInFile()));
        }
        for (String problem : capture.capture().problems()) {
            out.append("problem: ").append(problem).append(System.lineSeparator());
        }
        appendSkipped(out, capture.skipped());
        appendProblemCounts(out, capture.segments());
        out.append(String.format(Locale.ROOT, "%4s  %-40s  %-40s  %7s  %9s  %9s  %10s  %-10s  %s%n", "conv", "client",
                "server", "packets", "c>s bytes", "s>c bytes", "duration", "start", "end"));
        for (Conversation c : capture.conversations()) {
            out.append(String.format(Locale.ROOT, "%4d  %-40s  %-40s  %7d  %9d  %9d  %8.3f s  %-10s  %s%n",
                    c.number(), c.client(), c.server(), c.segments().size(), c.bytesFrom(true), c.bytesFrom(false),
                    c.durationNanos() / 1e9, c.handshakeSeen() ? "handshake" : "mid-stream", c.ending()));
        }
        return out.toString();
    }

    /** Each packet of {@code c} in tcpdump's words, then the states after it and the notes. */
    public static String packets(Conversation c) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "conversation %d: client %s, server %s%n", c.number(), c.client(),
                c.server()));
        TcpdumpFormatter tcpdump = new TcpdumpFormatter();
        for (PassiveTracker.Observation o : PassiveTracker.track(c)) {
            Segment s = o.segment();
            out.append(String.format(Locale.ROOT, "%6d %12.6f  %s%n", s.frame(), (s.epochNanos() - c.startNanos()) / 1e9,
                    tcpdump.format(MemorySegment.ofArray(s.ipPacket()))));
            out.append(String.format(Locale.ROOT, "%20s client %s, server %s%s%n", "", o.client(), o.server(),
                    o.notes().isEmpty() ? "" : "  [" + String.join("; ", o.notes()) + "]"));
        }
        return out.toString();
    }

    private static void appendSkipped(StringBuilder out, List<SegmentDecoder.Skipped> skipped) {
        if (skipped.isEmpty()) {
            return;
        }
        Map<String, List<Integer>> byReason = new TreeMap<>();
        for (SegmentDecoder.Skipped s : skipped) {
            byReason.computeIfAbsent(s.reason(), r -> new ArrayList<>()).add(s.frame());
        }
        byReason.forEach((reason, frames) -> out.append(String.format(Locale.ROOT, "skipped %d frame%s, %s: %s%n",
                frames.size(), frames.size() == 1 ? "" : "s", reason, frameList(frames))));
    }

    private static void appendProblemCounts(StringBuilder out, List<Segment> segments) {
        Map<String, List<Integer>> byProblem = new TreeMap<>();
        for (Segment s : segments) {
            for (String problem : s.problems()) {
                String kind = problem.contains(":") ? problem.substring(0, problem.indexOf(':')) : problem;
                byProblem.computeIfAbsent(kind, k -> new ArrayList<>()).add(s.frame());
            }
        }
        byProblem.forEach((problem, frames) -> out.append(String.format(Locale.ROOT, "%d segment%s with %s: %s%n",
                frames.size(), frames.size() == 1 ? "" : "s", problem, frameList(frames))));
    }

    private static String frameList(List<Integer> frames) {
        String listed = frames.stream().limit(MAX_SKIPPED_LISTED).map(String::valueOf)
                .collect(Collectors.joining(", ", "frame ", ""));
        return frames.size() > MAX_SKIPPED_LISTED ? listed + ", ..." : listed;
    }
}
