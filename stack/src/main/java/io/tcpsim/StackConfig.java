package io.tcpsim;

import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.wire.IpAddress;

/**
 * What a stack is: its own IPv4 address (an int, see {@link io.tcpsim.wire.Ipv4Address}), its
 * IPv6 address ({@link IpAddress#ANY_IPV6}: none, the stack is IPv4 only), its TCP settings and
 * its ISN generator (RFC 6528; fixed in tests, random key otherwise).
 */
public record StackConfig(int address, IpAddress address6, TcpConfig tcp, IsnGenerator isn) {

    public StackConfig {
        if (address6.isIpv4() || address6.isMulticast()) {
            throw new IllegalArgumentException("not a unicast IPv6 address: " + address6);
        }
    }

    /** IPv4 only. */
    public StackConfig(int address, TcpConfig tcp, IsnGenerator isn) {
        this(address, IpAddress.ANY_IPV6, tcp, isn);
    }

    /** Whether the stack has an IPv6 address. */
    public boolean hasIpv6() {
        return !address6.isUnspecified();
    }

    /** The same stack with the IPv6 address {@code addr}. */
    public StackConfig withAddress6(IpAddress addr) {
        return new StackConfig(address, addr, tcp, isn);
    }

    /** Linux's defaults for a link of {@code mtu} bytes, with a random ISN key. */
    public static StackConfig linuxDefaults(int address, int mtu) {
        return new StackConfig(address, TcpConfig.linuxDefaults(mtu), IsnGenerator.random());
    }
}
