package io.tcpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.pcap.CaptureFile;
import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Segment;
import io.tcpsim.tcp.Profile;
import io.tcpsim.testsupport.SharedDir;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replays of shared captures with exact expectations, and the comparison catching a planted change. */
class ReplayerTest {
    private static final Path WHOIS = SharedDir.pcaps().resolve("linux-client-whois-server-close.pcap");
    private static final Path HTTP = SharedDir.pcaps().resolve("linux-lo-http-client-close.pcap");
    private static final Path BSD_SERVER = SharedDir.pcaps().resolve("linux-client-refused-then-http-bulk.pcap");
    private static final Path ZERO_WINDOW = SharedDir.pcaps().resolve("linux-zero-window-probes-midstream.pcapng");
    private static final Path IPV6 = SharedDir.pcaps().resolve("linux-ipv6-ula-tls-server-close.pcap");
    private static final Path MIXED = SharedDir.pcaps().resolve("macos-lo-ipv6-refused-ipv4-fallback-null.pcap");

    @TempDir
    Path dir;

    private static ConversationResult replay(Path capture, Role role) throws IOException {
        CaptureSummary s = CaptureSummary.read(capture, null);
        return Replayer.replay(s, s.conversations(), ReplayOptions.defaults().as(role)).conversations().getFirst();
    }

    private static Row row(ConversationResult c, int frame) {
        return c.rows().stream().filter(r -> r.frame() == frame).findFirst().orElseThrow();
    }

    @Test
    void aBsdSideReplaysWithTheFreebsdProfilesLayoutAndTheCapturedHostsSackSetting() throws IOException {
        CaptureSummary s = CaptureSummary.read(BSD_SERVER, null);
        ReplayOptions options = ReplayOptions.defaults().as(Role.SERVER).with(Profile.FREEBSD);
        ReplayResult r = Replayer.replay(s, s.conversations(), options);
        assertEquals(Profile.FREEBSD, r.profile());
        assertTrue(r.settings().notes().contains("SACK off (the captured host did not use it)"),
                r.settings().notes().toString());
        Row synAck = r.conversations().get(1).rows().stream().filter(row -> row.frame() == 4).findFirst().orElseThrow();
        assertEquals(Verdict.MATCHED, synAck.verdict(), "no sackOK, as the captured FreeBSD-like server: " + synAck);
        assertEquals(List.of(new TcpOption.MaxSegmentSize(1460), TcpOption.NOP, new TcpOption.WindowScale(0)),
                synAck.tcpsim().options().subList(0, 3), "FreeBSD's order: mss,nop,wscale,...");
        assertEquals(65_535, synAck.tcpsim().window(), "FreeBSD's unrounded first window");
    }

    /** An IPv6 conversation replays over tcpsim's IPv6 (fd00::2, the peer fd00:1::1) with the captured MSS. */
    @Test
    void anIpv6ConversationReplaysOverIpv6WithTheCapturedMss() throws IOException {
        Path out = dir.resolve("ipv6.pcap");
        CaptureSummary s = CaptureSummary.read(IPV6, null);
        Segment capturedSynAck = s.conversations().getFirst().segments().stream()
                .filter(seg -> seg.has(TcpPacket.SYN) && seg.has(TcpPacket.ACK))
                .findFirst().orElseThrow();
        ReplayResult r = Replayer.replay(s, s.conversations(),
                new ReplayOptions(Optional.of(Role.SERVER), Profile.LINUX, false, Optional.of(out)));
        int mss = capturedSynAck.mss().orElseThrow();
        assertEquals(mss + 60, r.settings().mtu(), "MTU = MSS + 60 over IPv6: " + r.settings().notes());
        CaptureSummary replayed = CaptureSummary.read(out, null);
        assertTrue(replayed.segments().size() > 4, "the replay's packets were recorded");
        for (Segment seg : replayed.segments()) {
            assertTrue(seg.ipv6(), "every replayed packet is IPv6: " + seg);
            List<String> ends = List.of(seg.src().address(), seg.dst().address());
            assertTrue(ends.contains("fd00::2") && ends.contains("fd00:1::1"), ends.toString());
        }
        Segment ours = replayed.segments().stream()
                .filter(seg -> seg.has(TcpPacket.SYN) && seg.src().address().equals("fd00::2"))
                .findFirst().orElseThrow();
        assertEquals(Optional.of(mss), ours.mss(), "tcpsim's SYN-ACK announces the captured MSS");
        assertEquals(Verdict.MATCHED, r.conversations().getFirst().rows().stream()
                .filter(row -> row.captured() != null && row.captured().label().startsWith("S."))
                .findFirst().orElseThrow().verdict());
    }

    /** A capture mixing families replays each conversation in its own family on the one stack. */
    @Test
    void aCaptureMixingFamiliesReplaysEachConversationInItsFamily() throws IOException {
        Path out = dir.resolve("mixed.pcap");
        CaptureSummary s = CaptureSummary.read(MIXED, null);
        ReplayResult r = Replayer.replay(s, s.conversations(),
                new ReplayOptions(Optional.empty(), Profile.LINUX, false, Optional.of(out)));
        assertEquals(s.conversations().size(), r.conversations().size());
        CaptureSummary replayed = CaptureSummary.read(out, null);
        long six = replayed.segments().stream().filter(Segment::ipv6).count();
        long four = replayed.segments().size() - six;
        long capturedSix = s.segments().stream().filter(Segment::ipv6).count();
        assertTrue(capturedSix > 0 && capturedSix < s.segments().size(), "the capture mixes families");
        assertTrue(six > 0 && four > 0, "tcpsim sent over both families: " + six + " IPv6, " + four + " IPv4");
    }

    @Test
    void whoisClientMatchesLinuxOnEverySegment() throws IOException {
        ConversationResult c = replay(WHOIS, Role.CLIENT);
        assertEquals(6, c.matched());
        assertEquals(0, c.differ());
        Row syn = row(c, 1);
        assertEquals(Verdict.MATCHED, syn.verdict(), "the SYN's options, sackOK included, as Linux's");
        assertEquals(List.of(), syn.differences());
        Row fin = row(c, 10);
        assertEquals(Verdict.MATCHED, fin.verdict());
        assertEquals("F. seq 14 ack 235 win 30016", fin.captured().label());
        assertEquals(14, fin.tcpsim().relSeq());
        assertEquals(235, fin.tcpsim().relAck());
        assertEquals(Verdict.INJECTED, row(c, 2).verdict());
    }

    @Test
    void tcpsimLetsItsOwnFinCarryTheAckOfThePeersFinAsLinux() throws IOException {
        ConversationResult c = replay(HTTP, Role.SERVER);
        assertEquals(List.of(), c.rows().stream().filter(r -> r.verdict() == Verdict.EXTRA).toList(),
                "no ACK of the peer's FIN on its own");
        Row fin = row(c, 9);
        assertEquals(Verdict.MATCHED, fin.verdict(), "our FIN carries the ACK of the peer's: " + fin);
        assertEquals(204, fin.tcpsim().relAck());
    }

    @Test
    void aPlantedChangeInTheCaptureIsCaughtAndExplained() throws IOException {
        CaptureSummary s = CaptureSummary.read(HTTP, null);
        Conversation original = s.conversation(1);
        List<Segment> changed = new ArrayList<>();
        for (Segment seg : original.segments()) {
            boolean serverAck = seg.frame() == 5; // ". ack 203": the server acknowledges the request
            changed.add(serverAck ? new Segment(seg.frame(), seg.epochNanos(), seg.src(), seg.dst(), seg.ipv6(),
                    seg.seq(), seg.ack() - 10, seg.flags(), seg.window(), seg.urgentPointer(), seg.options(),
                    seg.payloadLength(), seg.payload(), seg.ipPacket(), seg.problems()) : seg);
        }
        Conversation planted = new Conversation(1, original.client(), original.server(), changed);
        ConversationResult c = Replayer.replay(s, List.of(planted), ReplayOptions.defaults().as(Role.SERVER))
                .conversations().getFirst();
        assertEquals(Verdict.MATCHED, row(replay(HTTP, Role.SERVER), 5).verdict());
        Row ack = row(c, 5);
        assertEquals(Verdict.DIFFERS, ack.verdict(), ack.toString());
        assertEquals(List.of(new Difference("ack", "193", "203")), ack.differences());
        assertEquals(Cause.ACK_VALUE, ack.cause());
        String text = ReplayText.render(Replayer.replay(s, List.of(planted), ReplayOptions.defaults().as(Role.SERVER)));
        assertTrue(text.contains(". seq 1 ack 193 win 8192 [TS]"), text);
        assertTrue(text.contains("<- ack differ [ack]"), text);
    }

    @Test
    void aMidStreamCaptureGetsAMadeUpHandshakeAndItsProbesMatch() throws IOException {
        ConversationResult c = replay(ZERO_WINDOW, Role.SERVER);
        assertTrue(c.midStream());
        assertEquals(Verdict.SYNTHETIC, c.rows().getFirst().verdict());
        assertEquals(Verdict.MATCHED, row(c, 1).verdict());
        for (int probe : new int[] {3, 5, 7}) {
            Row r = row(c, probe);
            assertEquals(Verdict.MATCHED, r.verdict(), r.toString());
            assertTrue(r.notes().contains("zero window probe"), r.notes().toString());
            assertEquals(r.captured().relSeq(), r.tcpsim().relSeq(), "SND.UNA - 1, as Linux probes");
        }
        assertTrue(c.notes().getFirst().startsWith("the capture starts mid-stream"), c.notes().toString());
    }

    @Test
    void theReplayIsRecordedToAPcapTcpdumpCanRead() throws IOException {
        Path recording = dir.resolve("replay.pcap");
        CaptureSummary s = CaptureSummary.read(WHOIS, null);
        ReplayOptions options = new ReplayOptions(Optional.of(Role.CLIENT), Profile.LINUX, false,
                Optional.of(recording));
        ConversationResult c = Replayer.replay(s, s.conversations(), options).conversations().getFirst();
        long injected = c.count(Verdict.INJECTED);
        long sent = c.rows().stream().filter(r -> r.tcpsim() != null).count();
        CaptureSummary recorded = CaptureSummary.read(recording, null);
        assertEquals(injected + sent, recorded.segments().size());
        assertEquals("10.0.0.2", recorded.segments().getFirst().src().address());
        assertTrue(recorded.segments().stream().allMatch(seg -> seg.problems().isEmpty()), "checksums recomputed");
        assertEquals(1, CaptureFile.read(recording, "tcp[tcpflags] & tcp-fin != 0 and src host 10.0.0.2")
                .frames().size());
    }

    @Test
    void comparingTheWindowIsAnOption() throws IOException {
        CaptureSummary s = CaptureSummary.read(WHOIS, null);
        ReplayOptions window = new ReplayOptions(Optional.of(Role.CLIENT), Profile.LINUX, true, Optional.empty());
        ConversationResult c = Replayer.replay(s, s.conversations(), window).conversations().getFirst();
        Row ack = row(c, 3);
        assertEquals(Verdict.DIFFERS, ack.verdict());
        assertEquals("window", ack.differences().getFirst().field());
        assertEquals(Cause.WINDOW, ack.cause());
    }
}
