package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.Profile;
import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The public scripts in {@code shared/packetdrill/A}, each with the profile its folder was
 * written for (the README there) and its suite runner's tolerance: every one must have the
 * outcome {@code public-expected.tsv} records (and docs/drill.md explains), so that a change that
 * makes one pass or fail is seen.
 */
class PublicScriptsTest {
    private static final Path PUBLIC = SharedDir.path().resolve("packetdrill/A");

    /** The README's table: FreeBSD's suites and the FreeBSD-like ones, the rest Linux. */
    static Profile profileOf(String relative) {
        boolean freebsd = relative.startsWith("freebsd-net+tcp-testsuite/") || relative.contains("/tests/bsd/")
                || relative.startsWith("shivansh+") || relative.startsWith("ligurio+");
        return freebsd ? Profile.FREEBSD : Profile.LINUX;
    }

    /**
     * How the suite's own runner runs a script: gVisor's test/packetdrill/packetdrill_test.sh
     * passes {@code --tolerance_usecs=100000} for every script of the folder; the others use
     * packetdrill's default.
     */
    static DrillRunner.Settings settingsOf(String relative) {
        DrillRunner.Settings s = DrillRunner.Settings.of(profileOf(relative));
        return relative.startsWith("google+gvisor/") ? s.withTolerance(100_000) : s;
    }

    @Test
    void everyPublicScriptHasARecordedOutcome() throws IOException {
        Map<String, String[]> expected = expected();
        List<Path> scripts = ScriptFiles.expand(List.of(PUBLIC));
        assertEquals(scripts.size(), expected.size(), "public-expected.tsv lists every script once");
        for (Path script : scripts) {
            assertTrue(expected.containsKey(PUBLIC.relativize(script).toString()), "not in public-expected.tsv: " + script);
        }
    }

    @TestFactory
    Stream<DynamicTest> publicScriptsHaveTheirRecordedOutcome() throws IOException {
        Map<String, String[]> expected = expected();
        return ScriptFiles.expand(List.of(PUBLIC)).stream().map(script -> {
            String name = PUBLIC.relativize(script).toString();
            return DynamicTest.dynamicTest(name, () -> {
                DrillResult r = DrillRunner.run(script, settingsOf(name));
                String[] want = expected.get(name);
                assertEquals(want[0], r.status().name(), name + " (" + want[1] + "): " + r.message()
                        + "\nupdate stack/src/test/resources/drill/public-expected.tsv and docs/drill.md");
            });
        });
    }

    private static Map<String, String[]> expected() throws IOException {
        Map<String, String[]> m = new LinkedHashMap<>();
        try (InputStream in = PublicScriptsTest.class.getResourceAsStream("/drill/public-expected.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\t", 3);
                    m.put(f[0], new String[] {f[1], f.length > 2 ? f[2] : ""});
                }
            }
        }
        return m;
    }
}
