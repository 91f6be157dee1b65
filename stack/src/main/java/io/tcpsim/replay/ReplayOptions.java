package io.tcpsim.replay;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to replay.
 *
 * @param role          the side tcpsim plays in every conversation; empty: the server, or the client
 *                      where the server sent nothing
 * @param profile       the behaviour tcpsim replays with
 * @param compareWindow also compare the window field
 * @param pcap          where to record tcpsim's replay (injected and sent packets, virtual time), if anywhere
 */
public record ReplayOptions(Optional<Role> role, ReplayProfile profile, boolean compareWindow, Optional<Path> pcap) {

    /** tcpsim as the server where it can be, Linux profile, window not compared, nothing recorded. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(Optional.empty(), ReplayProfile.LINUX, false, Optional.empty());
    }

    public ReplayOptions as(Role r) {
        return new ReplayOptions(Optional.of(r), profile, compareWindow, pcap);
    }
}
