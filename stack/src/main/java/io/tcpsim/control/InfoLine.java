package io.tcpsim.control;

import io.tcpsim.tcp.TcpInfo;
import io.tcpsim.tcp.TcpState;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The {@code ss -i} line of a socket from its {@link TcpInfo}, field by field in iproute2's order
 * (tcp_stats_print()), each shown only when ss would show it: times in milliseconds with C's
 * {@code %g}, ssthresh only below 0xFFFF, reordering only when not 3.
 */
final class InfoLine {
    private static final long NO_MIN_RTT = 0xFFFF_FFFFL;
    private static final int DEFAULT_REORDERING = 3;

    private InfoLine() {
    }

    /** The line for {@code info}, {@code congestion} being the congestion control's name. */
    static String of(TcpInfo info, String congestion) {
        StringBuilder o = new StringBuilder();
        flag(o, (info.options() & TcpInfo.TCPI_OPT_TIMESTAMPS) != 0, "ts");
        flag(o, (info.options() & TcpInfo.TCPI_OPT_SACK) != 0, "sack");
        o.append(' ').append(congestion);
        if ((info.options() & TcpInfo.TCPI_OPT_WSCALE) != 0) {
            o.append(" wscale:").append(info.sndWscale()).append(',').append(info.rcvWscale());
        }
        millis(o, "rto", info.rto());
        count(o, "backoff", info.backoff());
        if (info.rtt() != 0) {
            o.append(" rtt:").append(g(info.rtt() / 1000.0)).append('/').append(g(info.rttvar() / 1000.0));
        }
        millis(o, "ato", info.ato());
        count(o, "mss", info.sndMss());
        count(o, "pmtu", info.pmtu());
        count(o, "rcvmss", info.rcvMss());
        count(o, "advmss", info.advmss());
        count(o, "cwnd", info.sndCwnd());
        count(o, "ssthresh", info.sndSsthresh() < 0xFFFF ? info.sndSsthresh() : 0);
        count(o, "bytes_sent", info.bytesSent());
        count(o, "bytes_retrans", info.bytesRetrans());
        count(o, "bytes_acked", info.bytesAcked());
        count(o, "bytes_received", info.bytesReceived());
        count(o, "segs_out", info.segsOut());
        count(o, "segs_in", info.segsIn());
        count(o, "data_segs_out", info.dataSegsOut());
        count(o, "data_segs_in", info.dataSegsIn());
        if (info.rtt() != 0 && info.sndMss() != 0 && info.sndCwnd() != 0) {
            // ss: cwnd * mss * 8 bits per rtt.
            o.append(" send ").append(Math.round(info.sndCwnd() * info.sndMss() * 8_000_000.0 / info.rtt())).append("bps");
        }
        count(o, "lastsnd", info.lastDataSent());
        count(o, "lastrcv", info.lastDataRecv());
        count(o, "lastack", info.lastAckRecv());
        count(o, "unacked", info.unacked());
        if (info.retrans() != 0 || info.totalRetrans() != 0) {
            o.append(" retrans:").append(info.retrans()).append('/').append(info.totalRetrans());
        }
        count(o, "lost", info.lost());
        if (info.state() != TcpInfo.linuxState(TcpState.LISTEN)) {
            count(o, "sacked", info.sacked());
        }
        if (info.reordering() != DEFAULT_REORDERING) {
            o.append(" reordering:").append(info.reordering());
        }
        count(o, "rcv_space", info.rcvSpace());
        count(o, "rcv_ssthresh", info.rcvSsthresh());
        count(o, "notsent", info.notsentBytes());
        if (info.minRtt() != 0 && info.minRtt() != NO_MIN_RTT) {
            o.append(" minrtt:").append(g(info.minRtt() / 1000.0));
        }
        count(o, "rcv_ooopack", info.rcvOooPack());
        count(o, "snd_wnd", info.sndWnd());
        count(o, "rcv_wnd", info.rcvWnd());
        return o.toString();
    }

    private static void flag(StringBuilder o, boolean on, String name) {
        if (on) {
            o.append(' ').append(name);
        }
    }

    private static void count(StringBuilder o, String name, long value) {
        if (value != 0) {
            o.append(' ').append(name).append(':').append(Long.toUnsignedString(value));
        }
    }

    /** A microsecond field shown in milliseconds. */
    private static void millis(StringBuilder o, String name, long micros) {
        if (micros != 0) {
            o.append(' ').append(name).append(':').append(g(micros / 1000.0));
        }
    }

    /** C's {@code %g}: six significant digits, no trailing zeros, exponent form outside 1e-4..1e6. */
    static String g(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        return d.toPlainString();
    }
}
