package io.tcpsim.pcap;

import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The captures the pcap and replay tests read: the repository's pcap-samples/ and ../shared/pcaps. */
public final class Samples {

    private Samples() {
    }

    /** The repository's pcap-samples directory, found from the module directory upwards. */
    public static Path dir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("pcap-samples"))) {
                return d.resolve("pcap-samples");
            }
        }
        throw new IllegalStateException("no pcap-samples directory above " + Path.of("").toAbsolutePath());
    }

    /** Every capture in pcap-samples/, sorted by name. */
    public static List<Path> recorded() throws IOException {
        return Captures.listCaptures(dir());
    }

    /** Every capture in ../shared/pcaps, sorted by name. */
    public static List<Path> shared() throws IOException {
        return Captures.listCaptures(SharedDir.pcaps());
    }

    /** Both lists. */
    public static List<Path> all() throws IOException {
        List<Path> all = new ArrayList<>(recorded());
        all.addAll(shared());
        return all;
    }
}
