package io.tcpsim.wire;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The formatter against the tcpdump installed on this machine, over every capture and in all
 * three modes (default relative, -S, -q). Skipped where tcpdump 4.99 is not on the PATH, since
 * other versions word some lines differently. UDP lines are not compared in the default modes:
 * tcpdump decodes the application (DNS) where the formatter prints "UDP, length N".
 */
class TcpdumpOracleTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final Predicate<String> UDP = line -> line.contains(": UDP, length ");

    @BeforeAll
    static void requireTcpdump499() {
        assumeTrue(tcpdumpVersion().startsWith("tcpdump version 4.99"), "tcpdump 4.99 not installed");
    }

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
}
