package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpsim.testsupport.FuzzRuns;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer on the drill parser (docs/robustness.md, Fuzzing): whatever the text, {@link ScriptParser}
 * returns a script or refuses it with a {@link ScriptException} naming the file and a line of the
 * text, or an {@link UnsupportedException}; nothing else escapes. Seeds: ScriptParserFuzzTestInputs/
 * (scripts of the drill/ directory).
 */
class ScriptParserFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns("ScriptParserFuzzTest");

    @AfterAll
    static void report() {
        RUNS.assertFuzzed();
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] bytes) {
        RUNS.count();
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            assertNotNull(ScriptParser.parse("fuzz.pkt", text).events());
        } catch (ScriptException refused) {
            assertTrue(refused.getMessage().startsWith("fuzz.pkt:"), refused.getMessage());
            assertTrue(refused.line() >= 0 && refused.line() <= text.lines().count() + 1,
                    "line " + refused.line() + " of " + text.lines().count());
        } catch (UnsupportedException outsideTheSubset) {
            assertNotNull(outsideTheSubset.getMessage());
        }
    }
}
