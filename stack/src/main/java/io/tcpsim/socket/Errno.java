package io.tcpsim.socket;

import io.tcpsim.tcp.TcpError;
import io.tcpsim.udp.UdpError;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

/** errno values as Linux numbers them ({@code <asm-generic/errno-base.h>}, {@code <asm-generic/errno.h>}). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EACCES = 13;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int EPIPE = 32;
    public static final int EDOM = 33;
    public static final int ELOOP = 40;
    public static final int EPROTO = 71;
    public static final int ENONET = 64;
    public static final int ENOENT = 2;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int ESOCKTNOSUPPORT = 94;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    private static final Map<Integer, String> NAMES = names();

    private Errno() {
    }

    /** The symbolic name of an errno ("ECONNRESET"), or "E?" for a value not defined here. */
    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "E?");
    }

    private static Map<Integer, String> names() {
        Map<Integer, String> names = new HashMap<>();
        for (Field f : Errno.class.getFields()) {
            if (f.getType() == int.class) {
                try {
                    names.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return java.util.Map.copyOf(names);
    }

    /** The errno of a TCP failure. */
    public static int of(TcpError error) {
        return switch (error) {
            case ECONNREFUSED -> ECONNREFUSED;
            case ECONNRESET -> ECONNRESET;
            case ETIMEDOUT -> ETIMEDOUT;
            case EADDRINUSE -> EADDRINUSE;
            case EADDRNOTAVAIL -> EADDRNOTAVAIL;
            case EHOSTUNREACH -> EHOSTUNREACH;
            case ENETUNREACH -> ENETUNREACH;
            case EHOSTDOWN -> EHOSTDOWN;
            case ENONET -> ENONET;
            case ENOPROTOOPT -> ENOPROTOOPT;
            case EOPNOTSUPP -> EOPNOTSUPP;
            case EPIPE -> EPIPE;
            case EACCES -> EACCES;
            case EPROTO -> EPROTO;
        };
    }

    /** The errno of a UDP endpoint's pending error. */
    public static int of(UdpError error) {
        return switch (error) {
            case ECONNREFUSED -> ECONNREFUSED;
            case ENOPROTOOPT -> ENOPROTOOPT;
            case EMSGSIZE -> EMSGSIZE;
            case ENETUNREACH -> ENETUNREACH;
            case EHOSTDOWN -> EHOSTDOWN;
            case ENONET -> ENONET;
            case EHOSTUNREACH -> EHOSTUNREACH;
            case EACCES -> EACCES;
            case EPROTO -> EPROTO;
        };
    }
}
