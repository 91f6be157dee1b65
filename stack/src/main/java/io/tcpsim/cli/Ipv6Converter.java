package io.tcpsim.cli;

import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv6Address;
import picocli.CommandLine.ITypeConverter;

/** IPv6 option values (RFC 4291 text) to unicast, non-IPv4-mapped addresses. */
final class Ipv6Converter implements ITypeConverter<IpAddress> {
    @Override
    public IpAddress convert(String value) {
        IpAddress addr = IpAddress.ofIpv6(Ipv6Address.parse(value));
        if (addr.isIpv4() || addr.isMulticast() || addr.isUnspecified()) {
            throw new IllegalArgumentException("'" + value + "' is not a unicast IPv6 address");
        }
        return addr;
    }
}
