package io.tcpsim.tcp;

/**
 * ICMPv6 errors as errno values, Linux icmpv6_err_convert() (net/ipv6/icmp.c): the errno a
 * connection reports and whether the error is fatal to an opening one.
 */
final class Icmpv6Errno {
    /** One row of Linux's table. */
    record Entry(TcpError errno, boolean fatal) {
    }

    private static final int DEST_UNREACHABLE = 1;
    private static final int TIME_EXCEEDED = 3;
    private static final int PARAMETER_PROBLEM = 4;
    /** Linux tab_unreach[], per destination-unreachable code 0..6 (RFC 4443 §3.1). */
    private static final Entry[] UNREACHABLE = {
        new Entry(TcpError.ENETUNREACH, false), new Entry(TcpError.EACCES, true),
        new Entry(TcpError.EHOSTUNREACH, false), new Entry(TcpError.EHOSTUNREACH, false),
        new Entry(TcpError.ECONNREFUSED, true), new Entry(TcpError.EACCES, true), new Entry(TcpError.EACCES, true)};

    private Icmpv6Errno() {
    }

    /** The entry for an error type and code, or null for a message TCP does not act on. */
    static Entry of(int type, int code) {
        return switch (type) {
            case DEST_UNREACHABLE -> code < UNREACHABLE.length ? UNREACHABLE[code] : new Entry(TcpError.EPROTO, true);
            case TIME_EXCEEDED -> new Entry(TcpError.EHOSTUNREACH, false);
            case PARAMETER_PROBLEM -> new Entry(TcpError.EPROTO, true);
            default -> null;
        };
    }
}
