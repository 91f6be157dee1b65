package io.tcpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpsim.testsupport.FuzzRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer on the pcap reader (docs/robustness.md, Fuzzing): whatever the file, {@link CaptureFile}
 * (libpcap through pcap4j) either refuses it with an {@link IOException} or returns its frames,
 * and everything `tcpsim show` does with them (decoding, conversations, the passive tracker, the
 * text and SVG ladders, the packet list) returns without an exception. Seeds:
 * CaptureFuzzTestInputs/ (captures of pcap-samples/).
 */
class CaptureFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns("CaptureFuzzTest");
    private static final Path FILE = temporaryFile();

    @AfterAll
    static void report() throws IOException {
        Files.deleteIfExists(FILE);
        RUNS.assertFuzzed();
    }

    @FuzzTest(maxDuration = "10s")
    void read(byte[] bytes) throws IOException {
        RUNS.count();
        Files.write(FILE, bytes);
        CaptureSummary summary;
        try {
            summary = CaptureSummary.read(FILE, null);
        } catch (IOException notACapture) {
            assertTrue(notACapture.getMessage().contains(FILE.toString()), notACapture.getMessage());
            return;
        }
        assertNotNull(ShowText.summary(summary));
        for (Conversation c : summary.conversations()) {
            List<PassiveTracker.Observation> observations = PassiveTracker.track(c);
            Ladder ladder = Ladder.of("fuzz", c, observations);
            assertNotNull(TextLadder.render(ladder));
            assertNotNull(SvgLadder.render(ladder));
            assertNotNull(ShowText.packets(c));
        }
    }

    private static Path temporaryFile() {
        try {
            return Files.createTempFile("tcpsim-fuzz-", ".pcap");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
