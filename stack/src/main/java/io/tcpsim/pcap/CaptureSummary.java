package io.tcpsim.pcap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture decoded: its TCP segments, the frames that are not TCP segments and why, and the
 * conversations.
 */
public record CaptureSummary(Capture capture, List<Segment> segments, List<SegmentDecoder.Skipped> skipped,
                             List<Conversation> conversations) {
    public CaptureSummary {
        segments = List.copyOf(segments);
        skipped = List.copyOf(skipped);
        conversations = List.copyOf(conversations);
    }

    /** Reads and decodes {@code file}, keeping the frames {@code filter} accepts (null: all). */
    public static CaptureSummary read(Path file, String filter) throws IOException {
        return of(CaptureFile.read(file, filter));
    }

    public static CaptureSummary of(Capture capture) {
        List<Segment> segments = new ArrayList<>();
        List<SegmentDecoder.Skipped> skipped = new ArrayList<>();
        for (Frame frame : capture.frames()) {
            SegmentDecoder.Result result = SegmentDecoder.decode(frame);
            if (result.segment() != null) {
                segments.add(result.segment());
            } else {
                skipped.add(result.skipped());
            }
        }
        return new CaptureSummary(capture, segments, skipped, Conversations.of(segments));
    }

    /** Conversation {@code number} (1-based). */
    public Conversation conversation(int number) {
        if (number < 1 || number > conversations.size()) {
            throw new IllegalArgumentException("no conversation " + number + ": the capture has "
                    + conversations.size() + " TCP conversation" + (conversations.size() == 1 ? "" : "s"));
        }
        return conversations.get(number - 1);
    }
}
