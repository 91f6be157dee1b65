package io.tcpsim.wire;

import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The formatter against the tcpdump installed on this machine, over every capture and in all
 * three modes (default relative, -S, -q). Skipped with the reason where tcpdump 4.99 is not on the
 * PATH, since other versions word some lines differently; under {@code CI=true} (where the launcher
 * installs it) that fails instead. UDP lines are not compared in the default modes: tcpdump decodes
 * the application (DNS) where the formatter prints "UDP, length N".
 */
@ExtendWith(TcpdumpOracleTest.Tcpdump499.class)
class TcpdumpOracleTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final String SUPPORTED_VERSION = "tcpdump version 4.99";
    private static final Predicate<String> UDP = line -> line.contains(": UDP, length ");

    static List<Path> captures() throws IOException {
        return Captures.listCaptures(SharedDir.pcaps());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void relativeLinesMatchTcpdump(Path capture) throws IOException, InterruptedException {
        TcpdumpFormatter formatter = new TcpdumpFormatter();
        TcpdumpLines.assertSameUpToLength(tcpdump(capture), TcpdumpLines.format(capture, formatter::format),
                capture.getFileName().toString(), UDP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void absoluteLinesMatchTcpdumpDashS(Path capture) throws IOException, InterruptedException {
        TcpdumpLines.assertSameUpToLength(tcpdump(capture, "-S"),
                TcpdumpLines.format(capture, TcpdumpFormatter::absolute), capture.getFileName() + " -S", UDP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void quietLinesMatchTcpdumpDashQ(Path capture) throws IOException, InterruptedException {
        TcpdumpLines.assertSameUpToLength(tcpdump(capture, "-q"),
                TcpdumpLines.format(capture, TcpdumpFormatter::quiet), capture.getFileName() + " -q");
    }

    private static List<String> tcpdump(Path capture, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tcpdump", "-n", "-r", capture.toString()));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return TcpdumpLines.packetLines(out.lines().toList());
    }

    private static String tcpdumpVersion() {
        try {
            Process process = new ProcessBuilder("tcpdump", "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return out.strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Runs the class only where tcpdump 4.99 is on the PATH; under {@code CI=true} its absence fails. */
    static final class Tcpdump499 implements ExecutionCondition {
        private static final String MISSING = missingTcpdump499();

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (MISSING == null) {
                return ConditionEvaluationResult.enabled("tcpdump 4.99 on the PATH");
            }
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but the tcpdump oracle cannot run: " + MISSING);
            }
            return ConditionEvaluationResult.disabled("tcpdump oracle skipped: " + MISSING);
        }

        /** Why the oracle cannot run here, or null when tcpdump 4.99 is on the PATH. */
        private static String missingTcpdump499() {
            String version = tcpdumpVersion();
            if (version.startsWith(SUPPORTED_VERSION)) {
                return null;
            }
            return version.isEmpty() ? "tcpdump is not on the PATH"
                    : "tcpdump 4.99 needed, found '" + version.lines().findFirst().orElse("") + "'";
        }
    }
}
