package io.tcpsim.tcp;

import static io.tcpsim.tcp.TcpInfo.ADVMSS;
import static io.tcpsim.tcp.TcpInfo.ATO;
import static io.tcpsim.tcp.TcpInfo.BACKOFF;
import static io.tcpsim.tcp.TcpInfo.BYTES_ACKED;
import static io.tcpsim.tcp.TcpInfo.BYTES_RECEIVED;
import static io.tcpsim.tcp.TcpInfo.BYTES_RETRANS;
import static io.tcpsim.tcp.TcpInfo.BYTES_SENT;
import static io.tcpsim.tcp.TcpInfo.CA_STATE;
import static io.tcpsim.tcp.TcpInfo.DATA_SEGS_IN;
import static io.tcpsim.tcp.TcpInfo.DATA_SEGS_OUT;
import static io.tcpsim.tcp.TcpInfo.LAST_ACK_RECV;
import static io.tcpsim.tcp.TcpInfo.LAST_DATA_RECV;
import static io.tcpsim.tcp.TcpInfo.LAST_DATA_SENT;
import static io.tcpsim.tcp.TcpInfo.LOST;
import static io.tcpsim.tcp.TcpInfo.MAX_PACING_RATE;
import static io.tcpsim.tcp.TcpInfo.MIN_RTT;
import static io.tcpsim.tcp.TcpInfo.NOTSENT_BYTES;
import static io.tcpsim.tcp.TcpInfo.OPTIONS;
import static io.tcpsim.tcp.TcpInfo.PACING_RATE;
import static io.tcpsim.tcp.TcpInfo.PMTU;
import static io.tcpsim.tcp.TcpInfo.PROBES;
import static io.tcpsim.tcp.TcpInfo.RCV_MSS;
import static io.tcpsim.tcp.TcpInfo.RCV_OOOPACK;
import static io.tcpsim.tcp.TcpInfo.RCV_RTT;
import static io.tcpsim.tcp.TcpInfo.RCV_SPACE;
import static io.tcpsim.tcp.TcpInfo.RCV_SSTHRESH;
import static io.tcpsim.tcp.TcpInfo.RCV_WND;
import static io.tcpsim.tcp.TcpInfo.REORDERING;
import static io.tcpsim.tcp.TcpInfo.RETRANS;
import static io.tcpsim.tcp.TcpInfo.RETRANSMITS;
import static io.tcpsim.tcp.TcpInfo.RTO;
import static io.tcpsim.tcp.TcpInfo.RTT;
import static io.tcpsim.tcp.TcpInfo.RTTVAR;
import static io.tcpsim.tcp.TcpInfo.SACKED;
import static io.tcpsim.tcp.TcpInfo.SEGS_IN;
import static io.tcpsim.tcp.TcpInfo.SEGS_OUT;
import static io.tcpsim.tcp.TcpInfo.SND_CWND;
import static io.tcpsim.tcp.TcpInfo.SND_MSS;
import static io.tcpsim.tcp.TcpInfo.SND_SSTHRESH;
import static io.tcpsim.tcp.TcpInfo.SND_WND;
import static io.tcpsim.tcp.TcpInfo.STATE;
import static io.tcpsim.tcp.TcpInfo.TOTAL_RETRANS;
import static io.tcpsim.tcp.TcpInfo.TOTAL_RTO;
import static io.tcpsim.tcp.TcpInfo.TOTAL_RTO_RECOVERIES;
import static io.tcpsim.tcp.TcpInfo.UNACKED;
import static io.tcpsim.tcp.TcpInfo.WSCALE;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;

/**
 * Fills {@link TcpInfo} the way Linux tcp_get_info() does. Fields tcpsim does not keep stay 0:
 * fackets (Linux keeps it 0 since FACK went) and dsack_dups (D-SACKs are counted per stack only), last_ack_sent (Linux does not keep it either),
 * rcv_rtt (no receiver-side RTT estimate), delivery_rate, busy_time, rwnd_limited, sndbuf_limited,
 * delivered, delivered_ce, reord_seen, rehash and total_rto_time (not measured). pacing_rate and
 * max_pacing_rate are ~0, Linux's "no rate": tcpsim does not pace.
 */
final class TcpInfoFill {
    /** Linux TCP_MSS_DEFAULT: mss_cache of a socket that has no connection yet. */
    private static final int MSS_DEFAULT = 536;
    private static final long NO_RATE = -1L;
    private static final long NO_MIN_RTT = 0xFFFF_FFFFL;
    private static final long NANOS_PER_MICRO = 1_000;
    private static final long NANOS_PER_MILLI = 1_000_000;

    private TcpInfoFill() {
    }

    static TcpInfo connection(TcpConnection c, TcpState shown, long now) {
        TcpInfo info = TcpInfo.zero();
        Tcb tcb = c.tcb;
        info.u8(STATE, TcpInfo.linuxState(shown));
        info.u8(CA_STATE, caState(c));
        info.u8(RETRANSMITS, c.retransmits);
        info.u8(PROBES, c.probesOut);
        info.u8(BACKOFF, backoff(c));
        info.u8(OPTIONS, (tcb.ts.ok ? TcpInfo.TCPI_OPT_TIMESTAMPS : 0) | (tcb.sackOk ? TcpInfo.TCPI_OPT_SACK : 0)
                | (tcb.wscaleOk ? TcpInfo.TCPI_OPT_WSCALE : 0));
        if (tcb.wscaleOk) {
            info.u8(WSCALE, tcb.sndWscale | tcb.rcvWscale << 4);
        }
        info.u32(RTO, rto(c) / NANOS_PER_MICRO);
        // tcpsim's delayed-ACK timeout is fixed: Linux's ato starts at TCP_ATO_MIN with the first data.
        info.u32(ATO, tcb.quickAckStarted ? Receiver.DELAYED_ACK_NANOS / NANOS_PER_MICRO : 0);
        info.u32(SND_MSS, tcb.sendMss());
        info.u32(RCV_MSS, tcb.rcvMss);
        fillSegments(info, c);
        fillTimes(info, tcb, now);
        info.u32(PMTU, tcb.pathMtu);
        // Linux: rcv_ssthresh grows towards the window clamp per segment (tcp_grow_window()); tcpsim keeps no
        // rcv_ssthresh and offers up to the clamp at once, which autotuning moves with the buffer.
        info.u32(RCV_SSTHRESH, tcb.rcvWndClamp);
        fillRtt(info, tcb, c.host.config);
        info.u32(SND_SSTHRESH, tcb.ssthresh == Integer.MAX_VALUE ? TcpInfo.INFINITE_SSTHRESH
                : tcb.ssthresh / tcb.effectiveMss());
        info.u32(SND_CWND, tcb.cwnd == 0 ? Transmitter.INITIAL_WINDOW_SEGMENTS : tcb.cwnd / tcb.effectiveMss());
        info.u32(ADVMSS, tcb.advMss());
        info.u32(REORDERING, tcb.sackOk ? tcb.rack.reordering() : LossRecovery.DUP_ACK_THRESHOLD);
        if (!opening(c)) {
            // Linux tcp_init_buffer_space() starts it at min(rcv_ssthresh, rcv_wnd, TCP_INIT_CWND * advmss);
            // tcp_rcv_space_adjust() moves it to the bytes read in the last RTT as they grow.
            info.u32(RCV_SPACE, tcb.drs.space());
        }
        info.u32(RCV_RTT, tcb.drs.rtt() / NANOS_PER_MICRO);
        fillCounters(info, tcb);
        info.u32(NOTSENT_BYTES, Math.max(0, Seq.diff(tcb.dataEnd(), tcb.sndNxt)));
        info.u32(SND_WND, tcb.sndWnd);
        info.u32(RCV_WND, tcb.rcvWnd);
        return info;
    }

    static TcpInfo listener(TcpListener l) {
        TcpInfo info = TcpInfo.zero();
        info.u8(STATE, TcpInfo.linuxState(TcpState.LISTEN));
        fillRates(info);
        info.u32(REORDERING, LossRecovery.DUP_ACK_THRESHOLD);
        info.u32(SND_CWND, Transmitter.INITIAL_WINDOW_SEGMENTS);
        // Linux: for a listener tcpi_unacked is the accept queue and tcpi_sacked the backlog.
        info.u32(UNACKED, l.acceptQueueLength());
        info.u32(SACKED, l.backlog());
        return info;
    }

    static TcpInfo unconnected(TcpConfig config) {
        TcpInfo info = TcpInfo.zero();
        info.u8(STATE, TcpInfo.linuxState(TcpState.CLOSED));
        fillRates(info);
        info.u32(RTO, config.initialRto().toNanos() / NANOS_PER_MICRO);
        info.u32(SND_MSS, MSS_DEFAULT);
        // Linux tcp_init_sock(): mdev_us = TCP_TIMEOUT_INIT, reported as mdev_us >> 2.
        info.u32(RTTVAR, config.initialRto().toNanos() / NANOS_PER_MICRO / 4);
        info.u32(SND_SSTHRESH, TcpInfo.INFINITE_SSTHRESH);
        info.u32(SND_CWND, Transmitter.INITIAL_WINDOW_SEGMENTS);
        info.u32(REORDERING, LossRecovery.DUP_ACK_THRESHOLD);
        info.u32(MIN_RTT, NO_MIN_RTT);
        return info;
    }

    private static void fillRates(TcpInfo info) {
        info.u64(PACING_RATE, NO_RATE);
        info.u64(MAX_PACING_RATE, NO_RATE);
    }

    /**
     * Linux counts segments; tcpsim keeps bytes, so segments are counted in units of the send MSS.
     * With SACK, tcpi_sacked, tcpi_lost and tcpi_retrans come from the scoreboard (Linux
     * sacked_out, lost_out, retrans_out).
     */
    private static void fillSegments(TcpInfo info, TcpConnection c) {
        Tcb tcb = c.tcb;
        int mss = Math.max(1, tcb.effectiveMss());
        info.u32(UNACKED, ceilDiv(Seq.diff(tcb.sndNxt, tcb.sndUna), mss));
        if (tcb.sackOk) {
            SackScoreboard board = tcb.scoreboard;
            info.u32(SACKED, board.sackedBytes() / mss);
            info.u32(LOST, ceilDiv(board.lostBytes(), mss));
            info.u32(RETRANS, ceilDiv(board.retransBytes(), mss));
            return;
        }
        info.u32(LOST, Seq.lt(tcb.rtxNxt, tcb.sndNxt) ? ceilDiv(Seq.diff(tcb.sndNxt, tcb.rtxNxt), mss) : 0);
        int retrans = 0;
        if (c.retransmits > 0) {
            retrans = ceilDiv(Seq.diff(tcb.rtxNxt, tcb.sndUna), mss); // resent after the timeout, not yet acked
        } else if (tcb.inRecovery) {
            retrans = 1; // the fast retransmission
        }
        info.u32(RETRANS, retrans);
    }

    /** last_data_sent, last_data_recv, last_ack_recv: milliseconds since, counted from the connection's start. */
    private static void fillTimes(TcpInfo info, Tcb tcb, long now) {
        ConnectionStats s = tcb.stats;
        long sent = Math.max(s.createdAt, tcb.lastSendAt);
        info.u32(LAST_DATA_SENT, (now - sent) / NANOS_PER_MILLI);
        info.u32(LAST_DATA_RECV, (now - s.lastDataRecvAt) / NANOS_PER_MILLI);
        info.u32(LAST_ACK_RECV, (now - s.lastAckRecvAt) / NANOS_PER_MILLI);
    }

    private static void fillRtt(TcpInfo info, Tcb tcb, TcpConfig config) {
        RttEstimator rtt = tcb.rtt;
        if (rtt.measured()) {
            info.u32(RTT, rtt.srtt() / NANOS_PER_MICRO);
            info.u32(RTTVAR, rtt.rttvar() / NANOS_PER_MICRO);
        } else {
            info.u32(RTTVAR, config.initialRto().toNanos() / NANOS_PER_MICRO / 4); // Linux tcp_init_sock()
        }
        info.u32(MIN_RTT, rtt.minRtt() < 0 ? NO_MIN_RTT : rtt.minRtt() / NANOS_PER_MICRO);
    }

    private static void fillCounters(TcpInfo info, Tcb tcb) {
        ConnectionStats s = tcb.stats;
        fillRates(info);
        info.u32(TOTAL_RETRANS, s.totalRetrans);
        info.u64(BYTES_ACKED, s.bytesAcked);
        info.u64(BYTES_RECEIVED, s.bytesReceived);
        info.u32(SEGS_OUT, s.segsOut);
        info.u32(SEGS_IN, s.segsIn);
        info.u32(DATA_SEGS_IN, s.dataSegsIn);
        info.u32(DATA_SEGS_OUT, s.dataSegsOut);
        info.u64(BYTES_SENT, s.bytesSent);
        info.u64(BYTES_RETRANS, s.bytesRetrans);
        info.u32(RCV_OOOPACK, s.rcvOooPack);
        info.u16(TOTAL_RTO, s.totalRto);
        info.u16(TOTAL_RTO_RECOVERIES, s.totalRtoRecoveries);
    }

    /** Linux icsk_ca_state: Recovery in fast recovery, Loss after a timeout until new data is acked. */
    private static int caState(TcpConnection c) {
        Tcb tcb = c.tcb;
        if (tcb.inRecovery) {
            return TcpInfo.TCP_CA_RECOVERY;
        } else if (c.retransmits > 0 && Transmitter.canSend(c)) {
            return TcpInfo.TCP_CA_LOSS;
        }
        return tcb.dupAcks > 0 ? TcpInfo.TCP_CA_DISORDER : TcpInfo.TCP_CA_OPEN;
    }

    /** Linux icsk_backoff: SYN retries while opening, the probe backoff while probing, else the RTO's. */
    private static int backoff(TcpConnection c) {
        if (opening(c)) {
            return c.retransmits;
        }
        return c.persistAt != Clock.NO_DEADLINE ? c.probeBackoff : c.tcb.rtt.backoff();
    }

    /** Linux icsk_rto: the timer's current value, backoff included. */
    private static long rto(TcpConnection c) {
        if (opening(c)) {
            return c.host.backoff(c.host.config.initialRto().toNanos(), c.retransmits);
        }
        return c.tcb.rtt.currentRto();
    }

    private static boolean opening(TcpConnection c) {
        return c.state() == TcpState.SYN_SENT || c.state() == TcpState.SYN_RECEIVED;
    }

    private static int ceilDiv(int bytes, int mss) {
        return bytes <= 0 ? 0 : (bytes + mss - 1) / mss;
    }
}
