package io.tcpsim.cli;

import io.tcpsim.wire.Ipv4Address;
import picocli.CommandLine.ITypeConverter;

/** Dotted-quad option values to tcpsim's int addresses. */
final class Ipv4Converter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return Ipv4Address.parse(value);
    }
}
