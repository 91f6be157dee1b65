package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.Profile;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The runner's rules (sequence, ack and timestamp mapping, matching, timing, calls) and its
 * expected-failure self-tests: a script that should fail fails at the right line with the
 * right words.
 */
class DrillRunnerTest {
    private static final String LISTEN = """
            0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0    bind(3, ..., ...) = 0
            +0    listen(3, 1) = 0
            +0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
            +0    > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
            +.1   < . 1:1(0) ack 1 win 257
            +0    accept(3, ..., ...) = 4
            """;

    private static DrillResult run(String text) {
        return run(text, false);
    }

    private static DrillResult run(String text, boolean strict) {
        return DrillRunner.run(ScriptParser.parse("t.pkt", text),
                new DrillRunner.Settings(Profile.LINUX, strict, Trace.NONE, null));
    }

    private static void passes(String text) {
        DrillResult r = run(text);
        assertEquals(DrillResult.Status.PASS, r.status(), r.message());
    }

    private static String fails(String text, boolean strict) {
        DrillResult r = run(text, strict);
        assertEquals(DrillResult.Status.FAIL, r.status(), "the script should fail");
        return r.message();
    }

    private static String fails(String text) {
        return fails(text, false);
    }

    @Test
    void localSequenceNumbersAreRelativeToTheStacksIsn() {
        passes(LISTEN + "+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1\n+0 < . 1:1(0) ack 11 win 257\n");
    }

    @Test
    void theScriptsOwnSequenceNumbersGoOutAsWritten() {
        passes("""
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 1000:1000(0) win 32792 <mss 1000,nop,wscale 7>
                +0    > S. 0:0(0) ack 1001 <mss 1460,nop,wscale 7>
                """);
    }

    @Test
    void beforeAnySynNumbersAreLiteral() {
        passes("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < . 17:20(3) ack 34 win 100\n+0 > R 34:34(0) win 0\n");
    }

    @Test
    void anInboundEcrIsMappedToTheLiveTsValOfTheOutboundLineThatWroteIt() {
        passes("""
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,nop,TS val 7 ecr 0,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1460,nop,nop,TS val 555 ecr 7,nop,wscale 7>
                +.1   < . 1:1(0) ack 1 win 257 <nop,nop,TS val 8 ecr 555>
                +0    accept(3, ..., ...) = 4
                +0    %{ assert tcpi_state == TCPI_ESTABLISHED }%
                """);
    }

    @Test
    void anEcrNoOutboundLineWroteFails() {
        String m = fails("""
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,nop,TS val 7 ecr 0,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <...>
                +.1   < . 1:1(0) ack 1 win 257 <nop,nop,TS val 8 ecr 555>
                """);
        assertTrue(m.startsWith("t.pkt:6: unable to map TS ecr 555"), m);
    }

    @Test
    void noOptionListMeansNoOptions() {
        String m = fails(LISTEN.replace("> S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>", "> S. 0:0(0) ack 1"));
        assertTrue(m.startsWith("t.pkt:5: outbound packet differs: options: expected <> but got <mss 1460,nop,wscale 7>"), m);
        assertTrue(m.contains("expected: > S. 0:0(0) ack 1\n") && m.contains("actual:   > S. 0:0(0) ack 1 win 64240 <mss 1460,nop,wscale 7>"), m);
    }

    @Test
    void anEllipsisOptionListMatchesAnyOptions() {
        passes(LISTEN.replace("<mss 1460,nop,wscale 7>", "<...>"));
    }

    @Test
    void segmentsAreGluedToMatchALongerLine() {
        passes(LISTEN + "+0 write(4, ..., 3000) = 3000\n+0 > P. 1:3001(3000) ack 1\n");
    }

    @Test
    void strictSegmentsTurnsGluingOff() {
        String m = fails("--strict_segments\n" + LISTEN + "+0 write(4, ..., 3000) = 3000\n+0 > P. 1:3001(3000) ack 1\n");
        assertTrue(m.startsWith("t.pkt:10: outbound packet differs: flags: expected P. but got .; payload length: expected 3000 but got 1000"), m);
    }

    @Test
    void aWrongFlagIsReportedWithExpectedAndActual() {
        String m = fails(LISTEN + "+0 close(4) = 0\n+0 > R. 1:1(0) ack 1\n");
        assertTrue(m.startsWith("t.pkt:9: outbound packet differs: flags: expected R. but got F."), m);
    }

    @Test
    void aWrongWindowFailsOnlyWhenWritten() {
        passes(LISTEN.replace("> S. 0:0(0) ack 1", "> S. 0:0(0) ack 1 win 64240"));
        String m = fails(LISTEN.replace("> S. 0:0(0) ack 1", "> S. 0:0(0) ack 1 win 1000"));
        assertTrue(m.contains("win: expected 1000 but got 64240"), m);
    }

    @Test
    void aMissingPacketFailsAfterTwoSeconds() {
        String m = fails(LISTEN + "+0 > F. 1:1(0) ack 1\n");
        assertTrue(m.startsWith("t.pkt:8: expected packet did not come (waited until 2.100000 s)"), m);
    }

    @Test
    void aLatePacketFailsOnTiming() {
        String m = fails(LISTEN.replace("+0    > S. 0:0(0)", "+.5   > S. 0:0(0)"));
        assertTrue(m.startsWith("t.pkt:5: timing: expected at 0.500000 s but 0.000000 s"), m);
    }

    @Test
    void toleranceIsTheLargerOfTheOptionAndAnEighthOfTheGap() {
        passes("--tolerance_usecs=600000\n" + LISTEN.replace("+0    > S. 0:0(0)", "+.5   > S. 0:0(0)"));
        // the RTO is 300 ms after the handshake's 100 ms sample: sent again at 0.5 s, 0.04 s before
        // the script's time, within an eighth of the 0.34 s gap
        passes(LISTEN + "+.1 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1\n.54 > P. 1:11(10) ack 1\n");
    }

    @Test
    void aTimeRangeAcceptsAnythingInside() {
        passes(LISTEN + "+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1\n+0.2~+1.5 > P. 1:11(10) ack 1\n");
    }

    @Test
    void aWrongReturnValueOrErrnoFails() {
        String m = fails("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 listen(3, 1) = -1\n");
        assertTrue(m.startsWith("t.pkt:2: listen(3, 1) = -1\n  returned 0 but the script expects -1"), m);
        m = fails("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 accept(3, ..., ...) = -1 EAGAIN\n");
        assertTrue(m.contains("errno: expected EAGAIN but got EINVAL"), m);
    }

    @Test
    void getsockoptChecksTheValueAndTheLength() {
        String m = fails("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 getsockopt(3, SOL_SOCKET, SO_TYPE, [2], [4]) = 0\n");
        assertTrue(m.contains("value: expected 2 but got 1"), m);
        m = fails("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [8]) = 0\n");
        assertTrue(m.contains("length: expected 8 but got 4"), m);
    }

    @Test
    void scriptDescriptorsAreAliases() {
        passes("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 7\n+0 fcntl(7, F_GETFL) = 0x2\n+0 close(7) = 0\n");
    }

    @Test
    void aBlockingCallRunsWhileLaterEventsHappen() {
        passes(LISTEN + "+0...0.2 read(4, ..., 100) = 10\n+.2 < P. 1:11(10) ack 1 win 257\n+0 > . 1:1(0) ack 11\n");
    }

    @Test
    void aBlockingCallThatReturnsAtTheWrongTimeFails() {
        String m = fails(LISTEN + "+0...0.5 read(4, ..., 100) = 10\n+.2 < P. 1:11(10) ack 1 win 257\n");
        assertTrue(m.startsWith("t.pkt:8: return timing: expected at 0.600000 s but 0.300000 s"), m);
    }

    @Test
    void aCallThatBlocksWithoutAnEndTimeFails() {
        String m = fails(LISTEN + "+0 read(4, ..., 100) = 10\n");
        assertTrue(m.startsWith("t.pkt:8: read(4, ..., 100) = 10: the call blocked"), m);
    }

    @Test
    void strictFailsOnAnUnexpectedPacketThatDefaultModeSkips() {
        String script = LISTEN + "+0 < P. 1:11(10) ack 1 win 257\n+0 close(4) = 0\n+0 > R. 1:1(0) ack 11\n";
        passes(script);
        String m = fails(script, true);
        assertTrue(m.startsWith("t.pkt:10: outbound packet differs: flags: expected R. but got ."), m);
    }

    @Test
    void strictFailsOnPacketsLeftAtTheEnd() {
        String m = fails(LISTEN + "+0 < P. 1:11(10) ack 1 win 257\n", true);
        assertTrue(m.startsWith("t.pkt:8: --strict: unexpected outbound packet after the last line: > . 1:1(0) ack 11"), m);
    }

    @Test
    void tcpInfoIsWhatGetsockoptReturnsAsAnAssertionAndAsAStruct() {
        passes(LISTEN + """
                +0    getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCPI_ESTABLISHED, tcpi_snd_mss=1000, tcpi_rcv_wscale=7}, [248]) = 0
                +0    %{ assert tcpi_snd_wscale == 7 }%
                +0    %{ assert tcpi_snd_cwnd == 10 }%
                """);
        String m = fails(LISTEN + "+0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_snd_mss=999}, [248]) = 0\n");
        assertTrue(m.contains("tcpi_snd_mss: expected 999 but got 1000"), m);
        String closed = LISTEN + """
                +0    shutdown(4, SHUT_WR) = 0
                +0    > F. 1:1(0) ack 1
                +.1   < F. 1:1(0) ack 2 win 257
                +0    > . 2:2(0) ack 2
                """;
        passes(closed + "+0 %{ assert tcpi_state == TCPI_CLOSE }%\n"); // TIME_WAIT's descriptor reads CLOSE, as on Linux
        passes(closed + "+0 close(4) = 0\n+0 %{ assert tcpi_state == TCPI_TIME_WAIT }%\n");
    }

    @Test
    void tcpInfoAssertionsFailAtTheirLine() {
        String m = fails(LISTEN + "+0 %{ assert tcpi_state == TCPI_CLOSE_WAIT }%\n");
        assertEquals("t.pkt:8: assertion failed: assert tcpi_state == TCPI_CLOSE_WAIT (tcpi_state is 1)", m);
    }

    @Test
    void otherCodeIsSkippedAndNoted() {
        DrillResult r = run(LISTEN + "+0 %{ print(tcpi_rtt) }%\n");
        assertEquals(DrillResult.Status.PASS, r.status());
        assertTrue(r.notes().getLast().endsWith("skipped in %{ }%: print(tcpi_rtt)"), r.notes().toString());
    }

    @Test
    void knownSysctlsSetTheStack() {
        passes("""
                `sysctl -q net.ipv4.tcp_syn_retries=1`
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0...3 connect(3, ..., ...) = -1 ETIMEDOUT
                +0    > S 0:0(0) <...>
                1     > S 0:0(0) <...>
                """);
    }

    @Test
    void theSuitesDefaultsFileIsReadAsItsSysctlLines() {
        String script = """
                `../common/defaults.sh`
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>
                """;
        passes(script);
        DrillResult r = run(script);
        assertTrue(r.notes().getFirst().endsWith("mapped as the sysctl lines of the suites' defaults.sh"),
                r.notes().toString());
        passes(script.replace("../common/defaults.sh", "./defaults.sh"));
    }

    @Test
    void theTcpRmemMaximumGivesTheWindowScaleByLinuxsRule() {
        passes("""
                `sysctl -q net.ipv4.tcp_rmem="4096 131072 16777216"`
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1460,nop,wscale 9>
                """);
    }

    @Test
    void anUnknownIpVersionIsSkipped() {
        DrillResult r = run("--ip_version=ipv5\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        assertEquals(DrillResult.Status.SKIP, r.status());
        assertTrue(r.message().contains("--ip_version=ipv5"), r.message());
    }

    /** packetdrill's IPv6 mode: fd3d:fa7b:d17d::1 to fd3d:a0b:17d6::1, MSS = MTU - 60. */
    @Test
    void ipv6ModeRunsOverIpv6() {
        passes("""
                --ip_version=ipv6
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1440,nop,wscale 7>
                """);
        DrillResult wrongMss = run("""
                --ip_version=ipv6
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
                """);
        assertEquals(DrillResult.Status.FAIL, wrongMss.status(), "IPv4's MSS is wrong over IPv6");
    }

    @Test
    void ipv4MappedModeSpeaksIpv4FromAnInet6Socket() {
        passes("""
                --ip_version=ipv4-mapped-ipv6
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
                """);
    }

    @Test
    void theTraceTellsEventsPacketsStatesAndTimers() {
        StringWriter out = new StringWriter();
        DrillRunner.run(ScriptParser.parse("t.pkt", LISTEN),
                new DrillRunner.Settings(Profile.LINUX, false, Trace.to(new PrintWriter(out, true)), null));
        String trace = out.toString();
        assertTrue(trace.contains("  0.000000  < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>   [live 40000>8080 S 0:0(0)"), trace);
        assertTrue(trace.contains("tcp 8080>40000 CLOSED -> SYN_RECEIVED"), trace);
        assertTrue(trace.contains("timer retransmission set for 1.000000 on 8080>40000"), trace);
        assertTrue(trace.contains("  0.100000  tcp 8080>40000 SYN_RECEIVED -> ESTABLISHED"), trace);
        assertTrue(trace.contains("> S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>   matched"), trace);
    }
}
