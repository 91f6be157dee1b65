package io.tcpsim.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The capture table of shared/pcaps/INDEX.md: packet counts and bad-checksum counts per file. */
record CaptureIndex(Map<String, Entry> entries) {
    /**
     * One row.
     *
     * @param packets     packets in the file
     * @param badChecksum "2/10" gives 2, "0" gives 0, "all (anonymised)" gives {@code packets}
     */
    record Entry(int packets, int badChecksum) {
    }

    private static final Pattern LEADING_INT = Pattern.compile("^(\\d+)");
    private static final int FILE_COLUMN = 2;
    private static final int PACKETS_COLUMN = 6;
    private static final int BAD_CHECKSUM_COLUMN = 7;

    static CaptureIndex read(Path indexMd) throws IOException {
        Map<String, Entry> entries = new HashMap<>();
        for (String line : Files.readAllLines(indexMd)) {
            String[] cells = line.split("\\|");
            if (cells.length <= BAD_CHECKSUM_COLUMN || !cells[FILE_COLUMN].contains(".pcap")) {
                continue;
            }
            OptionalInt packets = leadingInt(cells[PACKETS_COLUMN]);
            if (packets.isEmpty()) {
                continue;
            }
            String bad = cells[BAD_CHECKSUM_COLUMN].strip();
            int badCount = bad.startsWith("all") ? packets.getAsInt() : leadingInt(bad).orElse(-1);
            Entry entry = new Entry(packets.getAsInt(), badCount);
            String file = cells[FILE_COLUMN].strip();
            String name = file.split(" ")[0];
            entries.put(name, entry);
            if (file.contains(".converted.pcap")) {
                entries.put(name.replaceAll("\\.pcapng$", ".converted.pcap"), entry);
            }
        }
        return new CaptureIndex(Map.copyOf(entries));
    }

    private static OptionalInt leadingInt(String cell) {
        Matcher m = LEADING_INT.matcher(cell.strip());
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
