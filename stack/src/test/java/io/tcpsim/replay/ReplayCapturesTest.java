package io.tcpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Samples;
import io.tcpsim.tcp.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every capture of pcap-samples/ and ../shared/pcaps replays with tcpsim as the server, as the
 * client, and with the default choice: nothing throws, every captured segment gets exactly one
 * row (injected, or compared with what tcpsim sent), every difference has a cause that
 * docs/replay.md explains, the first divergence is put in words, and a replay is deterministic.
 * A side a BSD-derived stack sent is replayed with the freebsd profile ({@link SideProfiles}).
 */
class ReplayCapturesTest {

    static Stream<Arguments> replays() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (Path capture : Samples.all()) {
            for (Optional<Role> role : List.of(Optional.<Role>empty(), Optional.of(Role.SERVER),
                    Optional.of(Role.CLIENT))) {
                all.add(Arguments.of(capture.getFileName().toString(), capture, role));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} as {2}")
    @MethodSource("replays")
    void replaysWithARowPerSegmentAndACausePerDifference(String name, Path capture, Optional<Role> role)
            throws IOException {
        CaptureSummary summary = CaptureSummary.read(capture, null);
        Profile profile = role.map(r -> SideProfiles.of(name, r)).orElse(Profile.LINUX);
        ReplayOptions options = new ReplayOptions(role, profile, false, Optional.empty());
        ReplayResult result = Replayer.replay(summary, summary.conversations(), options);
        assertEquals(summary.conversations().size(), result.conversations().size());
        String docs = Files.readString(docs());
        for (ConversationResult c : result.conversations()) {
            assertOneRowPerSegment(c);
            for (Row row : c.rows()) {
                if (row.verdict().differs()) {
                    assertNotNull(row.cause(), name + " frame " + row.frame());
                    assertTrue(docs.contains("`" + row.cause().key() + "`"),
                            "docs/replay.md does not explain cause " + row.cause().key());
                    assertTrue(row.cause() != Cause.OTHER, name + ": unclassified difference at frame " + row.frame());
                }
            }
            assertEquals(c.differ() > 0, !c.firstDivergence().isEmpty(), "first divergence of " + name);
        }
        assertEquals(ReplayText.render(result), ReplayText.render(Replayer.replay(summary, summary.conversations(),
                options)), "a replay is deterministic");
    }

    private static void assertOneRowPerSegment(ConversationResult c) {
        Conversation conversation = c.conversation();
        List<Integer> frames = c.rows().stream().filter(r -> r.frame() != 0).map(Row::frame).toList();
        assertEquals(conversation.segments().stream().map(s -> s.frame()).toList(), frames);
        boolean tcpsimIsClient = c.role() == Role.CLIENT;
        for (Row row : c.rows()) {
            if (row.frame() == 0) {
                assertFalse(row.tcpsim() == null, "a row of tcpsim's own has its segment");
                continue;
            }
            boolean capturedSide = row.side().equals(tcpsimIsClient ? "client" : "server");
            assertEquals(capturedSide, row.verdict() != Verdict.INJECTED, "frame " + row.frame());
        }
    }

    static Path docs() {
        return Samples.dir().resolveSibling("docs").resolve("replay.md");
    }
}
