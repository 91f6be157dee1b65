package io.tcpsim.udp;

/**
 * The errno a connected endpoint reports after an ICMP error (Linux names; the socket layer maps
 * them to its numbers): Linux {@code icmp_err_convert[]}, hard errors only, since without
 * IP_RECVERR Linux ignores the soft ones (net and host unreachable, source route failed, TOS).
 */
public enum UdpError {
    /** Port unreachable (code 3). */
    ECONNREFUSED,
    /** Protocol unreachable (code 2). */
    ENOPROTOOPT,
    /** Fragmentation needed (code 4): Linux's IP_PMTUDISC_WANT makes it a hard error. */
    EMSGSIZE,
    /** Network unknown, network administratively prohibited (codes 6, 9). */
    ENETUNREACH,
    /** Host unknown (code 7). */
    EHOSTDOWN,
    /** Source host isolated (code 8). */
    ENONET,
    /** Host administratively prohibited, communication filtered, precedence (codes 10, 13, 14, 15). */
    EHOSTUNREACH;

    /** Linux {@code icmp_err_convert[code]} when fatal, else null (the error is ignored). */
    static UdpError ofUnreachableCode(int code) {
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
}
