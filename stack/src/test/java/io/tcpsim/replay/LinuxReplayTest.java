package io.tcpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Linux-made captures replayed with the linux profile: every handshake and close segment the
 * captured Linux side sent (SYN, SYN-ACK, the handshake's ACK, FIN, the ACK of the peer's FIN,
 * RST) is matched by tcpsim on flags and relative seq and ack, but for the causes docs/replay.md
 * explains and lists frame by frame (its generated section, which ReplayDocsTest keeps current).
 */
class LinuxReplayTest {
    /** The reasons a Linux handshake or close segment may still differ, each explained in docs/replay.md. */
    private static final Set<Cause> EXPLAINED = Set.of(Cause.FAST_OPEN, Cause.SYN_RETRIES, Cause.FIN_ON_DATA);
    /** A Linux 2.2 client: its tcp_fin() acknowledged a FIN at once, where 2.4 and later (and tcpsim) delay it. */
    private static final String LINUX_2_2 = "telnet-cooked-linux-client-openbsd-server.pcap";

    static List<LinuxSides.Side> sides() throws IOException {
        return LinuxSides.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sides")
    void handshakeAndCloseSegmentsMatchOnFlagsAndRelativeNumbers(LinuxSides.Side side) throws IOException {
        List<LinuxSides.Mismatch> unexplained = LinuxSides.mismatches(side, LinuxSides.replay(side)).stream()
                .filter(m -> !EXPLAINED.contains(m.cause()))
                .filter(m -> !(m.cause() == Cause.FIN_ACK && m.capture().equals(LINUX_2_2))).toList();
        assertEquals(List.of(), unexplained);
    }
}
