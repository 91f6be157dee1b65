package io.tcpsim.replay;

import io.tcpsim.tcp.Profile;
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
public record ReplayOptions(Optional<Role> role, Profile profile, boolean compareWindow, Optional<Path> pcap) {

    /** tcpsim as the server where it can be, Linux profile, window not compared, nothing recorded. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(Optional.empty(), Profile.LINUX, false, Optional.empty());
    }

    /** The same options with {@code p} as the profile. */
    public ReplayOptions with(Profile p) {
        return new ReplayOptions(role, p, compareWindow, pcap);
    }

    public ReplayOptions as(Role r) {
        return new ReplayOptions(Optional.of(r), profile, compareWindow, pcap);
    }
}
