package io.tcpsim;

/**
 * What a stack is: its own IPv4 address (as an int, see {@link io.tcpsim.wire.Ipv4Address}).
 * Grows with TCP's settings in later issues.
 */
public record StackConfig(int address) {
}
