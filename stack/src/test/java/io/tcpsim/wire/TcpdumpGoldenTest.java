package io.tcpsim.wire;

import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formatter against tcpdump's own decodes in shared/pcaps/tcpdump-expected-output. */
class TcpdumpGoldenTest {
    private static final Path PCAPS = SharedDir.pcaps();
    private static final Path EXPECTED = PCAPS.resolve("tcpdump-expected-output");

    @Test
    void handshakeQuietLinesMatchTcpdumpDashQ() throws IOException {
        assertMatches("linux-handshake-only-nanosec-sll.pcap", "tcp-handshake-nano.out", Mode.QUIET);
    }

    @Test
    void whoisSessionLinesMatchTcpdumpDefault() throws IOException {
        assertMatches("linux-client-whois-server-close.pcap", "whois.out", Mode.RELATIVE);
    }

    @Test
    void redisSessionLinesMatchTcpdumpDefault() throws IOException {
        assertMatches("linux-lo-redis-sll-client-close.pcap", "resp_2.out", Mode.RELATIVE);
    }

    @Test
    void httpSessionFirstLinesMatchTcpdumpHexDumpOutput() throws IOException {
        assertMatches("linux-lo-http-client-close.pcap", "print-x.out", Mode.RELATIVE);
    }

    private enum Mode { QUIET, RELATIVE }

    private static void assertMatches(String capture, String expectedFile, Mode mode) throws IOException {
        List<String> expected = TcpdumpLines.packetLines(Files.readAllLines(EXPECTED.resolve(expectedFile)));
        TcpdumpFormatter relative = new TcpdumpFormatter();
        List<String> actual = TcpdumpLines.format(PCAPS.resolve(capture),
                mode == Mode.QUIET ? TcpdumpFormatter::quiet : relative::format);
        TcpdumpLines.assertSameUpToLength(expected, actual, capture);
    }
}
