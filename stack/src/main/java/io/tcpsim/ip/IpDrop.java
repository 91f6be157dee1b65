package io.tcpsim.ip;

/**
 * Why the IP layer dropped a packet that was well formed on the wire. Malformed packets are counted
 * under their {@link io.tcpsim.wire.Malformed} reason instead.
 */
public enum IpDrop {
    /** A packet of length 0 came off the link. */
    EMPTY("empty packet"),
    /** An IPv6 packet, and the stack has no IPv6 address (StackConfig without one). */
    IPV6_NOT_CONFIGURED("IPv6 packet, no IPv6 address configured"),
    /** A routing header with segments left: tcpsim routes no packet on (RFC 8200 §4.4). */
    IPV6_ROUTING_HEADER("IPv6 routing header with segments left"),
    /** An option whose type says discard (RFC 8200 §4.2). */
    IPV6_UNKNOWN_OPTION("IPv6 unknown option"),
    /** Next header 59: nothing follows (RFC 8200 §4.7). */
    IPV6_NO_NEXT_HEADER("IPv6 no next header"),
    /**
     * Neighbor discovery, router solicitations and multicast listener reports the kernel sends
     * on the TUN (RFC 4861, RFC 2710, RFC 3810): a TUN has no link layer, so they are dropped
     * quietly (counted, not logged).
     */
    IPV6_LINK_SIGNALLING("IPv6 neighbor discovery or MLD (no link layer)"),
    /** Hop limit 0 on arrival, dropped like an IPv4 TTL 0. */
    HOP_LIMIT_ZERO("hop limit 0"),
    /** A fragment overlapping one held in part: its datagram is discarded (RFC 5722; Linux IPFRAG_OVERLAP). */
    FRAGMENT_OVERLAP("fragment overlap, datagram discarded"),
    /** A fragment whose data is held already: ignored, the queue kept (Linux IPFRAG_DUP). */
    FRAGMENT_DUPLICATE("duplicate fragment"),
    /** A fragment's end disagrees with the datagram's last fragment, or it is empty: datagram discarded. */
    FRAGMENT_BAD_LENGTH("fragment length inconsistent, datagram discarded"),
    /** Reassembled, or about to be, beyond 65535 bytes (Linux ip_frag_reasm() "oversized"). */
    FRAGMENT_TOO_BIG("reassembled datagram too big"),
    /** Fragment queues hold more than ipfrag_high_thresh: refused (Linux inet_frag_find()). */
    FRAGMENT_NO_MEMORY("fragment refused, reassembly memory full"),
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
