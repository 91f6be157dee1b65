package io.tcpsim.control;

import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpInfo;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.tcp.TcpTimer;
import io.tcpsim.wire.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code ss -tanoi} for one stack: {@link #snapshot} on the stack thread, {@link #render} anywhere.
 * Queues as ss shows them (Linux inet_diag): Recv-Q and Send-Q of a connection are its unread and
 * unacknowledged bytes, of a listener its accept queue and backlog; TIME-WAIT and SYN-RECV sockets
 * show 0 and no -i line, as Linux's timewait and request socks do.
 */
public final class SocketTable {

    /** Which sockets, as ss chooses them. */
    public enum Filter {
        /** ss's default: every state but LISTEN, TIME-WAIT, SYN-RECV and CLOSE. */
        CONNECTED,
        /** -l */
        LISTENING,
        /** -a */
        ALL
    }

    /** One socket line: the columns, the timer, and the info line ("" for none). */
    public record Row(TcpState state, int recvQ, int sendQ, String localAddr, String localPort, String peerAddr,
                      String peerPort, TcpTimer timer, String info) {
    }

    private SocketTable() {
    }

    /** The sockets of {@code tcp} that {@code filter} selects; run it on the stack thread. */
    public static List<Row> snapshot(TcpLayer tcp, Filter filter, long now) {
        List<Row> rows = new ArrayList<>();
        if (filter != Filter.CONNECTED) {
            for (TcpListener l : tcp.listeners()) {
                boolean six = l.isIpv6Socket() || !l.localAddr().isIpv4();
                rows.add(new Row(TcpState.LISTEN, l.acceptQueueLength(), l.backlog(), address(l.localAddr(), six),
                        Integer.toString(l.port()), six ? "[::]" : "0.0.0.0", "*", TcpTimer.OFF,
                        InfoLine.of(TcpInfo.of(l), tcp.config().congestionControl())));
            }
        }
        for (TcpConnection c : tcp.connections()) {
            if (filter == Filter.ALL || (filter == Filter.CONNECTED && shownByDefault(c.state()))) {
                rows.add(row(c, now));
            }
        }
        rows.sort(Comparator.comparing((Row r) -> r.state() != TcpState.LISTEN)
                .thenComparingInt(r -> Integer.parseInt(r.localPort()))
                .thenComparing(Row::peerAddr).thenComparing(Row::peerPort));
        return rows;
    }

    private static boolean shownByDefault(TcpState s) {
        return s != TcpState.LISTEN && s != TcpState.TIME_WAIT && s != TcpState.SYN_RECEIVED && s != TcpState.CLOSED;
    }

    private static Row row(TcpConnection c, long now) {
        FourTuple t = c.tuple();
        boolean fullSocket = c.state() != TcpState.TIME_WAIT && c.state() != TcpState.SYN_RECEIVED;
        String info = fullSocket ? InfoLine.of(TcpInfo.of(c, now), c.congestionControl()) : "";
        return new Row(c.state(), fullSocket ? c.receiveQueueLength() : 0, fullSocket ? c.sendQueueLength() : 0,
                address(t.localAddr(), c.isIpv6Socket()), Integer.toString(t.localPort()),
                address(t.remoteAddr(), c.isIpv6Socket()),
                Integer.toString(t.remotePort()), c.timer(now), info);
    }

    /**
     * An address as ss writes it: dotted quad for an AF_INET socket; IPv6 text in brackets for an
     * AF_INET6 one, its IPv4 addresses mapped ({@code [::ffff:10.0.0.2]}, {@code [::]} for the
     * wildcard), as Linux keeps them (inet_diag reports the socket's family).
     */
    static String address(IpAddress addr, boolean ipv6Socket) {
        if (!ipv6Socket && addr.isIpv4()) {
            return addr.toString();
        } else if (addr.isIpv4()) {
            return "[" + (addr.ipv4() == 0 ? "::" : "::ffff:" + addr) + "]";
        }
        return "[" + addr + "]";
    }

    /** ss's name of a state (iproute2 sstate_name). */
    public static String stateName(TcpState s) {
        return switch (s) {
            case ESTABLISHED -> "ESTAB";
            case SYN_SENT -> "SYN-SENT";
            case SYN_RECEIVED -> "SYN-RECV";
            case FIN_WAIT_1 -> "FIN-WAIT-1";
            case FIN_WAIT_2 -> "FIN-WAIT-2";
            case TIME_WAIT -> "TIME-WAIT";
            case CLOSED -> "UNCONN";
            case CLOSE_WAIT -> "CLOSE-WAIT";
            case LAST_ACK -> "LAST-ACK";
            case LISTEN -> "LISTEN";
            case CLOSING -> "CLOSING";
        };
    }

    /**
     * The table as ss prints it: a header, one line per socket (addresses right-aligned, ports
     * left-aligned, then the timer), and under it the -i line, indented by a tab.
     */
    public static String render(List<Row> rows) {
        int[] w = {"State".length(), "Recv-Q".length(), "Send-Q".length(), "Local Address".length(), "Port".length(),
            "Peer Address".length(), "Port".length()};
        for (Row r : rows) {
            String[] cells = cells(r);
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, w, new String[] {"State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address", "Port"}, "");
        for (Row r : rows) {
            line(out, w, cells(r), timer(r.timer()));
            if (!r.info().isEmpty()) {
                out.append('\t').append(r.info()).append('\n');
            }
        }
        return out.toString();
    }

    private static String[] cells(Row r) {
        return new String[] {stateName(r.state()), Integer.toString(r.recvQ()), Integer.toString(r.sendQ()),
            r.localAddr(), r.localPort(), r.peerAddr(), r.peerPort()};
    }

    private static void line(StringBuilder out, int[] w, String[] c, String timer) {
        String text = left(c[0], w[0]) + " " + left(c[1], w[1]) + " " + left(c[2], w[2]) + " " + right(c[3], w[3]) + ":"
                + left(c[4], w[4]) + " " + right(c[5], w[5]) + ":" + left(c[6], w[6]) + timer;
        out.append(text.stripTrailing()).append('\n');
    }

    /** ss -o: {@code timer:(on,1.2sec,0)}; nothing when no timer runs. */
    static String timer(TcpTimer t) {
        if (t.kind() == TcpTimer.Kind.OFF) {
            return "";
        }
        return " timer:(" + t.kind().label() + "," + msTimer(t.remainingNanos() / 1_000_000) + "," + t.count() + ")";
    }

    /** iproute2 print_ms_timer(): "1min", "12sec", "1.500ms"-style, from milliseconds. */
    static String msTimer(long timeout) {
        long secs = timeout / 1000;
        long minutes = secs / 60;
        secs %= 60;
        long msecs = timeout % 1000;
        StringBuilder b = new StringBuilder();
        if (minutes > 0) {
            msecs = 0;
            b.append(minutes).append("min");
            if (minutes > 9) {
                secs = 0;
            }
        }
        if (secs > 0) {
            if (secs > 9) {
                msecs = 0;
            }
            b.append(secs).append(msecs > 0 ? "." : "sec");
        }
        if (msecs > 0) {
            b.append(String.format("%03dms", msecs));
        }
        return b.toString();
    }

    private static String left(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String right(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }
}
