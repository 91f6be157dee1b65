package io.tcpsim.drill;

/**
 * An inbound ICMP destination unreachable quoting one of the stack's segments:
 * {@code < icmp unreachable host_unreachable [0:0(0)]} (packetdrill's syntax; the sequence number
 * in brackets is in script space, like an ack).
 *
 * @param code   the ICMP code (RFC 792: 0 net, 1 host, 2 protocol, 3 port, 4 fragmentation needed)
 * @param mtu    the next-hop MTU of a fragmentation-needed message, else 0
 * @param seq    the quoted segment's sequence number
 */
public record IcmpLine(int code, int mtu, long seq) implements Action {
}
