package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.SharedDir;
import io.tcpsim.wire.PacketParser.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packet of every capture in shared/pcaps parses, or is rejected with a reason: a bad
 * checksum (the captures were taken on the sending host, or anonymised, see INDEX.md) or a
 * datagram cut short (its IP length runs past the captured bytes, so its checksum cannot be
 * verified). The count of both per file matches INDEX.md's "bad cksum" column, which is 0 for the
 * known-good captures.
 */
class CaptureParseTest {
    private static final Set<Malformed> CHECKSUM = EnumSet.of(Malformed.IPV4_BAD_CHECKSUM, Malformed.TCP_BAD_CHECKSUM,
            Malformed.UDP_BAD_CHECKSUM);
    private static final Set<Malformed> CUT_SHORT =
            EnumSet.of(Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER, Malformed.IPV6_PAYLOAD_LENGTH_PAST_BUFFER);

    static List<Path> captures() throws IOException {
        return Captures.listCaptures(SharedDir.pcaps());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void everyPacketParsesOrIsRejectedWithAReason(Path capture) throws IOException {
        CaptureIndex.Entry indexed = CaptureIndex.read(SharedDir.pcaps().resolve("INDEX.md"))
                .entries().get(capture.getFileName().toString());
        List<Captures.Frame> frames = Captures.read(capture);
        int parsed = 0;
        TreeMap<Malformed, Integer> rejected = new TreeMap<>();
        for (Captures.Frame frame : frames) {
            Outcome outcome = parseFrame(frame);
            if (outcome instanceof Outcome.Rejected(Malformed reason)) {
                assertNotNull(reason, "frame " + frame.number());
                assertRejectionExplained(frame, reason);
                rejected.merge(reason, 1, Integer::sum);
            } else {
                parsed++;
            }
        }
        int rejectedCount = rejected.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("%-55s %3d packets: %3d parsed, rejected %s%n",
                capture.getFileName(), frames.size(), parsed, rejected);
        assertEquals(frames.size(), parsed + rejectedCount);
        if (indexed != null) {
            assertEquals(indexed.packets(), frames.size(), "packet count in INDEX.md");
            assertEquals(indexed.badChecksum(), rejectedCount, "bad or unverifiable checksums in INDEX.md");
        }
    }

    private static Outcome parseFrame(Captures.Frame frame) {
        Captures.LinkPayload payload = frame.ipPacket();
        Captures.LinkPayload.Ip ip = assertInstanceOf(Captures.LinkPayload.Ip.class, payload,
                () -> "frame " + frame.number() + " is not IP: " + payload);
        return PacketParser.parse(ip.packet());
    }

    /**
     * A real capture holds no impossible header: only checksum failures, or datagrams cut short
     * (by the capture's snap length, caplen &lt; len, or before it was written).
     */
    private static void assertRejectionExplained(Captures.Frame frame, Malformed reason) {
        if (frame.truncated()) {
            assertTrue(CUT_SHORT.contains(reason), "frame " + frame.number() + " cut short, rejected " + reason);
        } else {
            assertTrue(CHECKSUM.contains(reason) || CUT_SHORT.contains(reason),
                    "frame " + frame.number() + " rejected " + reason);
        }
    }
}
