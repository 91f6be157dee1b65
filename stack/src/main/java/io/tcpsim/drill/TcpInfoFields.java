package io.tcpsim.drill;

import io.tcpsim.tcp.TcpInfo;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The fields of Linux's struct tcp_info by their names in scripts ({@code tcpi_state},
 * {@code tcpi_snd_mss}, ...), read from the bytes getsockopt(TCP_INFO) returned
 * ({@link TcpInfo}, the socket layer's struct): what a {@code %{ assert ... }%} block and a
 * {@code getsockopt(fd, SOL_TCP, TCP_INFO, {tcpi_state=...}, ...)} line compare.
 */
final class TcpInfoFields {
    private static final Map<String, ToLongFunction<TcpInfo>> FIELDS = Map.ofEntries(
            Map.entry("tcpi_state", TcpInfo::state),
            Map.entry("tcpi_ca_state", TcpInfo::caState),
            Map.entry("tcpi_retransmits", TcpInfo::retransmits),
            Map.entry("tcpi_probes", TcpInfo::probes),
            Map.entry("tcpi_backoff", TcpInfo::backoff),
            Map.entry("tcpi_options", TcpInfo::options),
            Map.entry("tcpi_snd_wscale", TcpInfo::sndWscale),
            Map.entry("tcpi_rcv_wscale", TcpInfo::rcvWscale),
            Map.entry("tcpi_rto", TcpInfo::rto),
            Map.entry("tcpi_ato", TcpInfo::ato),
            Map.entry("tcpi_snd_mss", TcpInfo::sndMss),
            Map.entry("tcpi_rcv_mss", TcpInfo::rcvMss),
            Map.entry("tcpi_unacked", TcpInfo::unacked),
            Map.entry("tcpi_sacked", TcpInfo::sacked),
            Map.entry("tcpi_lost", TcpInfo::lost),
            Map.entry("tcpi_retrans", TcpInfo::retrans),
            Map.entry("tcpi_last_data_sent", TcpInfo::lastDataSent),
            Map.entry("tcpi_last_data_recv", TcpInfo::lastDataRecv),
            Map.entry("tcpi_last_ack_recv", TcpInfo::lastAckRecv),
            Map.entry("tcpi_pmtu", TcpInfo::pmtu),
            Map.entry("tcpi_rcv_ssthresh", TcpInfo::rcvSsthresh),
            Map.entry("tcpi_rtt", TcpInfo::rtt),
            Map.entry("tcpi_rttvar", TcpInfo::rttvar),
            Map.entry("tcpi_snd_ssthresh", TcpInfo::sndSsthresh),
            Map.entry("tcpi_snd_cwnd", TcpInfo::sndCwnd),
            Map.entry("tcpi_advmss", TcpInfo::advmss),
            Map.entry("tcpi_reordering", TcpInfo::reordering),
            Map.entry("tcpi_rcv_space", TcpInfo::rcvSpace),
            Map.entry("tcpi_total_retrans", TcpInfo::totalRetrans),
            Map.entry("tcpi_max_pacing_rate", TcpInfo::maxPacingRate),
            Map.entry("tcpi_bytes_acked", TcpInfo::bytesAcked),
            Map.entry("tcpi_bytes_received", TcpInfo::bytesReceived),
            Map.entry("tcpi_segs_out", TcpInfo::segsOut),
            Map.entry("tcpi_segs_in", TcpInfo::segsIn),
            Map.entry("tcpi_notsent_bytes", TcpInfo::notsentBytes),
            Map.entry("tcpi_min_rtt", TcpInfo::minRtt),
            Map.entry("tcpi_data_segs_in", TcpInfo::dataSegsIn),
            Map.entry("tcpi_data_segs_out", TcpInfo::dataSegsOut),
            Map.entry("tcpi_bytes_sent", TcpInfo::bytesSent),
            Map.entry("tcpi_bytes_retrans", TcpInfo::bytesRetrans),
            Map.entry("tcpi_rcv_ooopack", TcpInfo::rcvOooPack),
            Map.entry("tcpi_snd_wnd", TcpInfo::sndWnd),
            Map.entry("tcpi_rcv_wnd", TcpInfo::rcvWnd),
            Map.entry("tcpi_total_rto", TcpInfo::totalRto),
            Map.entry("tcpi_total_rto_recoveries", TcpInfo::totalRtoRecoveries));

    private TcpInfoFields() {
    }

    /** The fields a trace shows, in this order. */
    private static final List<String> TRACED = List.of("tcpi_state", "tcpi_rto", "tcpi_snd_mss", "tcpi_advmss",
            "tcpi_snd_cwnd");

    /** A few fields in words for the trace: {@code tcpi_state=1 tcpi_rto=1000000 ...}. */
    static String summary(TcpInfo info) {
        return info == null ? "no TCP_INFO" : TRACED.stream().map(n -> n + "=" + value(info, n))
                .collect(Collectors.joining(" "));
    }

    /** The field called {@code name} of {@code info}; null for a name struct tcp_info does not have here. */
    static Long value(TcpInfo info, String name) {
        ToLongFunction<TcpInfo> f = FIELDS.get(name);
        return f == null ? null : f.applyAsLong(info);
    }
}
