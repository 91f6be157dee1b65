package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The project's own packetdrill scripts (the repository's {@code drill/} folder), each a test:
 * it must pass, unless {@code drill/pending.tsv} lists it as waiting for a feature or a fix, in
 * which case it must not pass yet (so that the list stays true).
 */
class DrillScriptsTest {
    static final Path DRILL = Path.of("../drill");

    @Test
    void theProjectHasAtLeastEightyScripts() throws IOException {
        assertTrue(ScriptFiles.expand(List.of(DRILL)).size() >= 80, "scripts under " + DRILL.toAbsolutePath());
    }

    @TestFactory
    Stream<DynamicTest> everyScriptPasses() throws IOException {
        Map<String, String> pending = pending();
        return ScriptFiles.expand(List.of(DRILL)).stream().map(script -> {
            String name = DRILL.relativize(script).toString();
            return DynamicTest.dynamicTest(name, () -> {
                DrillResult r = DrillRunner.run(script, DrillRunner.Settings.of(ScriptFiles.profileOf(script)));
                if (pending.containsKey(name)) {
                    assertNotEquals(DrillResult.Status.PASS, r.status(),
                            name + " passes now: remove it from drill/pending.tsv (" + pending.get(name) + ")");
                } else {
                    assertEquals(DrillResult.Status.PASS, r.status(), r.message());
                }
            });
        });
    }

    @Test
    void everyPendingScriptExists() throws IOException {
        for (String name : pending().keySet()) {
            assertTrue(Files.isRegularFile(DRILL.resolve(name)), "drill/pending.tsv names a missing script " + name);
        }
    }

    static Map<String, String> pending() throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(DRILL.resolve("pending.tsv"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t", 2);
                m.put(f[0], f.length > 1 ? f[1] : "");
            }
        }
        return m;
    }
}
