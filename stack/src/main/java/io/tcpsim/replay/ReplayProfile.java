package io.tcpsim.replay;

import io.tcpsim.tcp.TcpConfig;

/**
 * The stack behaviour tcpsim replays with. Only Linux's exists today: tcpsim's defaults are
 * Linux's ({@link TcpConfig#linuxDefaults(int)}). The drill runner is getting a profile notion of
 * its own; the two are to become one.
 */
public enum ReplayProfile {
    /** Linux's defaults, with the captured host's MTU, timestamps and window scale (see {@link ReplaySettings}). */
    LINUX;

    /** The base configuration for an interface of {@code mtu} bytes. */
    TcpConfig config(int mtu) {
        return TcpConfig.linuxDefaults(mtu);
    }
}
