package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.fail;

import io.tcpsim.testsupport.Captures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading tcpdump's text output and comparing it with the formatter's lines. */
final class TcpdumpLines {
    /** "   12  2017-10-07 17:25:19.066204 IP ..." or "17:16:09.924505488 IP ..." (frame number optional). */
    private static final Pattern PACKET_LINE =
            Pattern.compile("^\\s*(?:\\d+\\s+)?(?:\\d{4}-\\d{2}-\\d{2} )?\\d{2}:\\d{2}:\\d{2}\\.\\d+ (.*)$");
    /** Up to the first "length N": tcpdump appends application decodes after it. */
    private static final Pattern UP_TO_LENGTH = Pattern.compile("^(.*?\\blength \\d+)");

    private TcpdumpLines() {
    }

    /** The first line of each packet, frame number and timestamp removed; hex dump lines skipped. */
    static List<String> packetLines(List<String> output) {
        List<String> lines = new ArrayList<>();
        for (String line : output) {
            Matcher m = PACKET_LINE.matcher(line);
            if (m.matches()) {
                lines.add(m.group(1));
            }
        }
        return lines;
    }

    /** The line up to and including "length N", or the whole line when it has none (-q). */
    static String upToLength(String line) {
        Matcher m = UP_TO_LENGTH.matcher(line);
        return m.find() ? m.group(1) : line;
    }

    /** The formatter's lines for every frame of a capture. */
    static List<String> format(Path capture, Function<java.lang.foreign.MemorySegment, String> formatter) {
        List<String> lines = new ArrayList<>();
        for (Captures.Frame frame : Captures.read(capture)) {
            if (frame.ipPacket() instanceof Captures.LinkPayload.Ip(var packet)) {
                lines.add(formatter.apply(packet));
            } else {
                lines.add("not IP: " + frame.ipPacket());
            }
        }
        return lines;
    }

    /** Fails listing every differing line, expected beside actual, both cut at "length N". */
    static void assertSameUpToLength(List<String> expected, List<String> actual, String what) {
        assertSameUpToLength(expected, actual, what, line -> false);
    }

    /** As {@link #assertSameUpToLength(List, List, String)}, not comparing where {@code skip} accepts our line. */
    static void assertSameUpToLength(List<String> expected, List<String> actual, String what, Predicate<String> skip) {
        StringBuilder diff = new StringBuilder();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? upToLength(expected.get(i)) : "<no line>";
            String got = i < actual.size() ? upToLength(actual.get(i)) : "<no line>";
            if (!want.equals(got) && !skip.test(got)) {
                diff.append("\npacket ").append(i + 1).append("\n  expected: ").append(want)
                        .append("\n  actual:   ").append(got);
            }
        }
        if (!diff.isEmpty()) {
            fail(what + " differs from tcpdump:" + diff);
        }
    }
}
