package io.tcpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.pcap.Capture;
import io.tcpsim.pcap.CaptureFile;
import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Frame;
import io.tcpsim.pcap.Samples;
import io.tcpsim.pcap.ShowText;
import io.tcpsim.tcp.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged captures never crash show or replay: frames with random bytes changed, cut short or
 * dropped (a fixed seed per capture) are decoded, shown and replayed in both roles without an
 * exception, whatever tcpsim then makes of them.
 */
class ReplayRobustnessTest {
    private static final int ROUNDS = 8;

    static List<Path> captures() throws IOException {
        return Samples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void damagedCapturesAreShownAndReplayedWithoutCrashing(Path file) throws IOException {
        Capture capture = CaptureFile.read(file);
        Random random = new Random(file.getFileName().toString().hashCode());
        for (int round = 0; round < ROUNDS; round++) {
            CaptureSummary damaged = CaptureSummary.of(damage(capture, random));
            for (Conversation c : damaged.conversations()) {
                ShowText.packets(c);
            }
            if (damaged.conversations().isEmpty()) {
                continue;
            }
            for (Role role : Role.values()) {
                ReplayOptions options = new ReplayOptions(Optional.of(role), Profile.LINUX, true, Optional.empty());
                ReplayResult result = Replayer.replay(damaged, damaged.conversations(), options);
                assertEquals(damaged.conversations().size(), result.conversations().size());
                ReplayText.render(result);
                ReplayJson.render(result);
                ReplayHtml.render(result);
            }
        }
    }

    private static Capture damage(Capture capture, Random random) {
        List<Frame> frames = new ArrayList<>();
        for (Frame f : capture.frames()) {
            int what = random.nextInt(10);
            byte[] data = f.data().clone();
            if (what == 0) {
                continue;
            } else if (what == 1 && data.length > 0) {
                data = Arrays.copyOf(data, random.nextInt(data.length));
            } else if (what <= 4 && data.length > 0) {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    data[random.nextInt(Math.min(data.length, 80))] = (byte) random.nextInt(256);
                }
            }
            frames.add(new Frame(f.number(), f.epochNanos(), f.linkType(), Math.max(f.originalLength(), data.length),
                    data));
        }
        return new Capture(capture.file(), capture.linkType(), capture.framesInFile(), frames, capture.problems());
    }
}
