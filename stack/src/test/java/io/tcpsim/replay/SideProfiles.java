package io.tcpsim.replay;

import io.tcpsim.tcp.Profile;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The profile each captured side is replayed with: freebsd for the sides a BSD-derived stack sent
 * (shared/pcaps/INDEX.md "stacks": the FreeBSD-like and BSD-like servers with 57344-byte
 * windows, OpenBSD's telnetd, macOS, whose TCP is FreeBSD's), linux for the rest (Linux's own and
 * the Windows ones, for which tcpsim has no nearer profile).
 */
final class SideProfiles {
    private static final Set<Role> BOTH = EnumSet.allOf(Role.class);
    private static final Set<Role> SERVER = EnumSet.of(Role.SERVER);
    private static final Map<String, Set<Role>> BSD = Map.of(
            "linux-client-refused-then-http-bulk.pcap", SERVER,
            "linux-ipv6-http-linktype-raw-101.pcap", SERVER,
            "telnet-cooked-linux-client-openbsd-server.pcap", SERVER,
            "macos-lo-ipv6-refused-ipv4-fallback-null.pcap", BOTH);

    private SideProfiles() {
    }

    /** The profile tcpsim replays {@code role} of {@code capture} (a file name) with. */
    static Profile of(String capture, Role role) {
        return BSD.getOrDefault(capture, Set.of()).contains(role) ? Profile.FREEBSD : Profile.LINUX;
    }
}
