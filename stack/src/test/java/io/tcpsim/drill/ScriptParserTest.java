package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.Profile;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The script language subset: what each construct parses to, and errors with their line. */
class ScriptParserTest {

    private static Script parse(String text) {
        return ScriptParser.parse("t.pkt", text);
    }

    private static ScriptException error(String text) {
        return assertThrows(ScriptException.class, () -> parse(text));
    }

    @Test
    void optionsShellLinesAndComments() {
        Script s = parse("""
                // a comment
                --tolerance_usecs=100000
                --ip_version=ipv4
                `../common/defaults.sh`
                /* a block
                   comment */ 0 `sysctl -q net.ipv4.tcp_timestamps=0`
                """);
        assertEquals("100000", s.options().get("tolerance_usecs"));
        assertEquals(2, s.events().size());
        assertEquals(new ShellLine("sysctl -q net.ipv4.tcp_timestamps=0"), s.events().get(1).action());
        assertEquals(6, s.events().get(1).line());
    }

    @Test
    void timesAbsoluteRelativeAnyRangeAndBlocking() {
        Script s = parse("""
                0.100 close(3) = 0
                +.1 close(3) = 0
                * > . 1:1(0) ack 1
                0.1~0.3 > . 1:1(0) ack 1
                +0~+.04 > . 1:1(0) ack 1
                +.1...0.2 read(4, ..., 10) = 10
                2 close(3) = 0
                """);
        List<Timing> t = s.events().stream().map(Event::timing).toList();
        assertEquals(new Timing(Timing.Kind.ABSOLUTE, 100_000, -1, -1), t.get(0));
        assertEquals(new Timing(Timing.Kind.RELATIVE, 100_000, -1, -1), t.get(1));
        assertEquals(Timing.Kind.ANY, t.get(2).kind());
        assertEquals(new Timing(Timing.Kind.ABSOLUTE, 100_000, 300_000, -1), t.get(3));
        assertEquals(new Timing(Timing.Kind.RELATIVE, 0, 40_000, -1), t.get(4));
        assertEquals(new Timing(Timing.Kind.RELATIVE, 100_000, -1, 200_000), t.get(5));
        assertEquals(2_000_000, t.get(6).start());
    }

    @Test
    void packetLines() {
        Script s = parse("""
                0 < S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
                +0 > P. 1:11(10) ack 1
                +0 > . 1:1(0) ack 1 <...>
                +0 < 1234>8080 F 5:5(0) win 10 urg 3 <sack 1:2 3:4,eol>
                +0 < - 0:0(0) win 1
                """);
        PacketLine a = (PacketLine) s.events().get(0).action();
        assertTrue(a.inbound());
        assertEquals(TcpPacket.SYN | TcpPacket.ACK, a.flags());
        assertEquals(1L, a.ack());
        assertEquals(65535, a.window());
        assertEquals(List.of(new TcpOption.MaxSegmentSize(1460), TcpOption.SACK_PERMITTED, new TcpOption.Timestamps(100, 0),
                TcpOption.NOP, new TcpOption.WindowScale(7)), a.options());
        PacketLine b = (PacketLine) s.events().get(1).action();
        assertFalse(b.inbound());
        assertEquals(10, b.length());
        assertNull(b.options(), "no list written means no options");
        assertNull(b.window());
        assertTrue(((PacketLine) s.events().get(2).action()).anyOptions());
        PacketLine d = (PacketLine) s.events().get(3).action();
        assertEquals(1234, d.srcPort());
        assertEquals(8080, d.dstPort());
        assertEquals(3, d.urgent());
        assertEquals(0, ((PacketLine) s.events().get(4).action()).flags());
    }

    @Test
    void syscallArguments() {
        Script s = parse("""
                0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0
                +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0
                +0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
                +0 poll([{fd=4, events=POLLIN, revents=POLLIN}], 1, 0) = 1
                +0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)
                """);
        SyscallLine fcntl = (SyscallLine) s.events().get(0).action();
        assertInstanceOf(Expr.Or.class, fcntl.args().get(2));
        SyscallLine connect = (SyscallLine) s.events().get(1).action();
        assertEquals(new Expr.Num(-1), connect.expected());
        assertEquals("EINPROGRESS", connect.errno());
        assertEquals("Operation now in progress", connect.note());
        assertEquals("[ECONNREFUSED]", ((SyscallLine) s.events().get(2).action()).args().get(3).toString());
        assertInstanceOf(Expr.Struct.class, ((SyscallLine) s.events().get(3).action()).args().get(3));
        assertEquals("[{fd=4, events=POLLIN, revents=POLLIN}]", ((SyscallLine) s.events().get(4).action()).args().get(0).toString());
        assertEquals(new Expr.Num(0x802), ((SyscallLine) s.events().get(5).action()).expected());
    }

    @Test
    void codeBlocksAndIcmpLines() {
        Script s = parse("""
                0 %{ assert tcpi_state == TCPI_ESTABLISHED }%
                +0 < icmp unreachable host_unreachable [0:0(0)]
                """);
        assertEquals(" assert tcpi_state == TCPI_ESTABLISHED ", ((CodeBlock) s.events().get(0).action()).code());
        assertEquals(new IcmpLine(1, 0, 0), s.events().get(1).action());
    }

    @Test
    void ifdefKeepsStandardAndDropsTheRest() {
        Script s = parse("""
                #ifdef STANDARD
                0 close(3) = 0
                #endif
                #ifdef FreeBSD
                0 close(4) = 0
                #endif
                """);
        assertEquals(1, s.events().size());
        assertEquals(2, s.events().getFirst().line());
    }

    @Test
    void theFreebsdProfileKeepsTheFreeBsdBlockInsteadOfStandard() throws IOException {
        Path file = Files.createTempFile("ifdef", ".pkt");
        try {
            Files.writeString(file, """
                    #ifdef STANDARD
                    0 close(3) = 0
                    #endif
                    #ifdef FreeBSD
                    0 close(4) = 0
                    #endif
                    """);
            Script bsd = ScriptParser.parse(file, Profile.FREEBSD);
            assertEquals(1, bsd.events().size());
            assertEquals(5, bsd.events().getFirst().line());
            assertEquals(2, ScriptParser.parse(file, Profile.LINUX).events().getFirst().line());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertEquals("t.pkt:3: expected '= result' after close(...) but found '+'",
                error("0 close(3) = 0\n\n+0 close(3)\n+0 close(4) = 0").getMessage());
        assertEquals("t.pkt:2: an inbound packet needs its window (win N)", error("0 close(3) = 0\n+0 < S 0:0(0)\n").getMessage());
        assertEquals("t.pkt:1: inconsistent segment: 1:5(3)", error("0 > . 1:5(3) ack 1").getMessage());
        assertEquals("t.pkt:2: time goes backward: 0.5 after 1", error("1 close(3) = 0\n0.5 close(3) = 0").getMessage());
        assertEquals("t.pkt:1: unknown TCP flag 'X' in SX", error("0 > SX 0:0(0)").getMessage());
        assertEquals("t.pkt:2: unclosed comment", error("0 close(3) = 0\n/* no end").getMessage());
        assertEquals("t.pkt:1: '*' is only for outbound packets", error("* close(3) = 0").getMessage());
        assertEquals("t.pkt:1: #endif without #ifdef", error("#endif").getMessage());
        assertEquals("t.pkt:3: expected a time but found 'close'", error("0 close(3) = 0\n\nclose(3) = 0").getMessage());
    }

    @Test
    void fuzzFindingsAreScriptErrorsNotCrashes() {
        assertEquals("t.pkt:1: expected a time but found '0X'", error("0X close(3) = 0").getMessage());
        assertEquals("t.pkt:1: port 9223372036854775807 is above 65535",
                error("0 < 99999999999999999999>80 S 0:0(0) win 1").getMessage());
    }

    @Test
    void validPacketdrillOutsideTheSubsetIsUnsupported() {
        UnsupportedException e = assertThrows(UnsupportedException.class, () -> parse("0 < S 0:0(0) win 1 <md5 abc>"));
        assertEquals(1, e.line());
    }
}
