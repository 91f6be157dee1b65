package io.tcpsim.ip;

/**
 * Why the IP layer dropped a packet that was well formed on the wire. Malformed packets are counted
 * under their {@link io.tcpsim.wire.Malformed} reason instead.
 */
public enum IpDrop {
    /** A packet of length 0 came off the link. */
    EMPTY("empty packet"),
    /** IPv6 arrives with the IPv6 issue; until then the kernel's IPv6 traffic is dropped quietly. */
    IPV6_NOT_SUPPORTED("IPv6 not supported yet"),
    /** Fragments are not reassembled yet (RFC 791 §3.2); counted like Linux's ReasmFails. */
    FRAGMENT("IPv4 fragment (no reassembly)"),
    /** Source is multicast, broadcast, loopback, 0 or our own address (a martian, RFC 1122 §3.2.1.3). */
    BAD_SOURCE("martian source address"),
    /** Destination is not one of tcpsim's addresses: a host does not forward (RFC 1122 §3.3.1). */
    NOT_OUR_ADDRESS("destination not local"),
    /** No transport handles this protocol number. */
    UNKNOWN_PROTOCOL("protocol not handled"),
    /** An ICMP message of a type tcpsim does not act on (yet). */
    ICMP_TYPE_NOT_HANDLED("ICMP type not handled"),
    /** A bug: processing threw. Counted and logged so that bad input never stops the stack. */
    INTERNAL_ERROR("internal error while processing");

    private final String description;

    IpDrop(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
