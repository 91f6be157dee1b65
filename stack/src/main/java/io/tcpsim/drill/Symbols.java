package io.tcpsim.drill;

import io.tcpsim.socket.Errno;
import io.tcpsim.socket.SocketConstants;
import io.tcpsim.tcp.TcpState;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The symbolic constants scripts use, with Linux's values (the stack's socket layer takes
 * Linux's numbers; a FreeBSD script's symbols mean the same things): everything in
 * {@link SocketConstants} and {@link Errno}, plus the names scripts use for the same values
 * (SOL_TCP, SIOCINQ), options tcpsim does not have (so that the call fails as on a kernel without
 * them) and the TCP_INFO state names.
 */
final class Symbols {
    private static final Map<String, Long> VALUES = values();

    private Symbols() {
    }

    static OptionalLong value(String name) {
        Long v = VALUES.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Linux tcp_states.h numbers for TCP_INFO's tcpi_state. */
    static int tcpiState(TcpState state) {
        return switch (state) {
            case ESTABLISHED -> 1;
            case SYN_SENT -> 2;
            case SYN_RECEIVED -> 3;
            case FIN_WAIT_1 -> 4;
            case FIN_WAIT_2 -> 5;
            case TIME_WAIT -> 6;
            case CLOSED -> 7;
            case CLOSE_WAIT -> 8;
            case LAST_ACK -> 9;
            case LISTEN -> 10;
            case CLOSING -> 11;
        };
    }

    private static Map<String, Long> values() {
        Map<String, Long> v = new HashMap<>();
        constants(SocketConstants.class, v);
        constants(Errno.class, v);
        v.put("PF_INET", (long) SocketConstants.AF_INET);
        v.put("PF_INET6", (long) SocketConstants.AF_INET6);
        v.put("SOL_TCP", (long) SocketConstants.IPPROTO_TCP);
        v.put("SOL_IP", (long) SocketConstants.IPPROTO_IP);
        v.put("SIOCINQ", (long) SocketConstants.FIONREAD);
        v.put("O_RDONLY", 0L);
        v.put("O_WRONLY", 1L);
        v.put("EWOULDBLOCK", (long) Errno.EAGAIN);
        // Linux <asm-generic/socket.h> and <netinet/tcp.h> values of options tcpsim may lack.
        v.putIfAbsent("SO_LINGER", 13L);
        v.putIfAbsent("SO_OOBINLINE", 10L);
        v.putIfAbsent("SO_RCVLOWAT", 18L);
        v.putIfAbsent("SO_SNDLOWAT", 19L);
        v.putIfAbsent("SO_DEBUG", 1L);
        v.putIfAbsent("SO_DONTROUTE", 5L);
        v.putIfAbsent("SO_BROADCAST", 6L);
        v.putIfAbsent("TCP_CORK", 3L);
        v.putIfAbsent("TCP_KEEPIDLE", 4L);
        v.putIfAbsent("TCP_KEEPINTVL", 5L);
        v.putIfAbsent("TCP_KEEPCNT", 6L);
        v.putIfAbsent("TCP_SYNCNT", 7L);
        v.putIfAbsent("TCP_LINGER2", 8L);
        v.putIfAbsent("TCP_DEFER_ACCEPT", 9L);
        v.putIfAbsent("TCP_INFO", 11L);
        v.putIfAbsent("TCP_QUICKACK", 12L);
        v.putIfAbsent("TCP_CONGESTION", 13L);
        v.putIfAbsent("TCP_USER_TIMEOUT", 18L);
        // FreeBSD's TCP_KEEPINIT: an option under the freebsd profile; Linux has none (ENOPROTOOPT).
        v.putIfAbsent("TCP_KEEPINIT", 128L);
        for (TcpState s : TcpState.values()) {
            v.put("TCPI_" + tcpiName(s), (long) tcpiState(s));
        }
        return Map.copyOf(v);
    }

    private static String tcpiName(TcpState s) {
        return switch (s) {
            case SYN_RECEIVED -> "SYN_RECV";
            case FIN_WAIT_1 -> "FIN_WAIT1";
            case FIN_WAIT_2 -> "FIN_WAIT2";
            case CLOSED -> "CLOSE";
            default -> s.name();
        };
    }

    private static void constants(Class<?> c, Map<String, Long> into) {
        for (Field f : c.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && (f.getType() == int.class || f.getType() == short.class)) {
                try {
                    into.put(f.getName(), ((Number) f.get(null)).longValue());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
