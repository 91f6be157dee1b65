package io.tcpsim.udp;

/**
 * The errno a connected endpoint reports after an ICMP or ICMPv6 error (Linux names; the socket
 * layer maps them to its numbers): Linux {@code icmp_err_convert[]} and
 * {@code icmpv6_err_convert()}, hard errors only, since without IP_RECVERR / IPV6_RECVERR Linux
 * ignores the soft ones (net and host unreachable, source route failed, TOS, time exceeded).
 */
public enum UdpError {
    /** Port unreachable (ICMP code 3, ICMPv6 code 4). */
    ECONNREFUSED,
    /** Protocol unreachable (code 2). */
    ENOPROTOOPT,
    /** Fragmentation needed (code 4), ICMPv6 packet too big: Linux's PMTUDISC_WANT makes it a hard error. */
    EMSGSIZE,
    /** Network unknown, network administratively prohibited (codes 6, 9). */
    ENETUNREACH,
    /** Host unknown (code 7). */
    EHOSTDOWN,
    /** Source host isolated (code 8). */
    ENONET,
    /** Host administratively prohibited, communication filtered, precedence (codes 10, 13, 14, 15). */
    EHOSTUNREACH,
    /** ICMPv6 administratively prohibited, source address failed policy, reject route (codes 1, 5, 6). */
    EACCES,
    /** ICMPv6 parameter problem, and a destination unreachable of an unknown code. */
    EPROTO;

    /** ICMPv6 types (RFC 4443 §2.1) that reach UDP. */
    private static final int ICMPV6_DEST_UNREACHABLE = 1;
    private static final int ICMPV6_PACKET_TOO_BIG = 2;
    private static final int ICMPV6_PARAMETER_PROBLEM = 4;

    /** Linux {@code icmp_err_convert[code]} when fatal, else null (the error is ignored). */
    public static UdpError ofUnreachableCode(int code) {
        return switch (code) {
            case 2 -> ENOPROTOOPT;
            case 3 -> ECONNREFUSED;
            case 4 -> EMSGSIZE;
            case 6, 9 -> ENETUNREACH;
            case 7 -> EHOSTDOWN;
            case 8 -> ENONET;
            case 10, 13, 14, 15 -> EHOSTUNREACH;
            default -> null;
        };
    }

    /**
     * Linux {@code icmpv6_err_convert()} when fatal, else null: a destination unreachable is fatal
     * but for no route (0) and address unreachable (2, 3); a packet too big is made fatal by
     * __udp6_lib_err() (IPV6_PMTUDISC_WANT); a parameter problem is EPROTO; time exceeded is soft.
     */
    public static UdpError ofIcmpv6(int type, int code) {
        return switch (type) {
            case ICMPV6_DEST_UNREACHABLE -> switch (code) {
                case 0, 2, 3 -> null;
                case 1, 5, 6 -> EACCES;
                case 4 -> ECONNREFUSED;
                default -> EPROTO;
            };
            case ICMPV6_PACKET_TOO_BIG -> EMSGSIZE;
            case ICMPV6_PARAMETER_PROBLEM -> EPROTO;
            default -> null;
        };
    }
}
