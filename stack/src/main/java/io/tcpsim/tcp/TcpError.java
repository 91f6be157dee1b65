package io.tcpsim.tcp;

/**
 * The errno a socket call would report for a TCP failure (Linux names; the socket layer maps them
 * to its own return values).
 */
public enum TcpError {
    /** RST in reply to our SYN (RFC 9293 §3.10.7.3), or ICMP port unreachable. */
    ECONNREFUSED,
    /** RST accepted in a synchronized state (RFC 9293 §3.10.7.4 second step). */
    ECONNRESET,
    /** Retransmissions exhausted (SYN, SYN-ACK, FIN). */
    ETIMEDOUT,
    /** The local port is taken (bind). */
    EADDRINUSE,
    /** No free 4-tuple: the exact 4-tuple exists, or the ephemeral range is exhausted. */
    EADDRNOTAVAIL,
    /** ICMP host unreachable (codes 1, 10, 12, 13, 14, 15). */
    EHOSTUNREACH,
    /** ICMP net unreachable (codes 0, 6, 9, 11). */
    ENETUNREACH,
    /** ICMP destination host unknown (code 7). */
    EHOSTDOWN,
    /** ICMP source host isolated (code 8). */
    ENONET,
    /** ICMP protocol unreachable (code 2). */
    ENOPROTOOPT,
    /** ICMP source route failed (code 5). */
    EOPNOTSUPP,
    /** Write after our FIN, or RST received in CLOSE_WAIT (Linux tcp_reset()). */
    EPIPE,
    /** ICMPv6 administratively prohibited, policy failed, reject route (RFC 4443 §3.1 codes 1, 5, 6). */
    EACCES,
    /** ICMPv6 parameter problem (RFC 4443 §3.4). */
    EPROTO
}
