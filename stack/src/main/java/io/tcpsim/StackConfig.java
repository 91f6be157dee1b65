package io.tcpsim;

import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;

/**
 * What a stack is: its own IPv4 address (an int, see {@link io.tcpsim.wire.Ipv4Address}), its TCP
 * settings and its ISN generator (RFC 6528; fixed in tests, random key otherwise).
 */
public record StackConfig(int address, TcpConfig tcp, IsnGenerator isn) {

    /** Linux's defaults for a link of {@code mtu} bytes, with a random ISN key. */
    public static StackConfig linuxDefaults(int address, int mtu) {
        return new StackConfig(address, TcpConfig.linuxDefaults(mtu), IsnGenerator.random());
    }
}
