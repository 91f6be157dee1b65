package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;

/**
 * Keep-alives (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6) as Linux's tcp_keepalive_timer(): with
 * SO_KEEPALIVE on, once nothing has arrived for the idle time (TCP_KEEPIDLE, default
 * tcp_keepalive_time 7200 s) and nothing is outstanding, a probe (Linux's form: SEQ = SND.UNA - 1,
 * no data, {@link Persist#sendProbe}) every interval (TCP_KEEPINTVL, 75 s); an answer resets the
 * count; after TCP_KEEPCNT (9) unanswered probes, or with TCP_USER_TIMEOUT set once that long has
 * passed without an answer, the connection fails with ETIMEDOUT and, unlike a retransmission
 * timeout, a RST (Linux tcp_send_active_reset() before tcp_write_err()).
 */
final class KeepAlive {
    /** SO_KEEPALIVE. */
    boolean enabled;
    long idleNanos;
    long intervalNanos;
    int probes;
    /** When the timer fires next. */
    long at = Clock.NO_DEADLINE;

    KeepAlive(TcpConfig config) {
        idleNanos = config.keepAliveTime().toNanos();
        intervalNanos = config.keepAliveInterval().toNanos();
        probes = config.keepAliveProbes();
    }

    /**
     * SO_KEEPALIVE, Linux tcp_set_keepalive(): switched on, the timer starts for a whole idle time
     * (in SYN_SENT it does nothing when it fires; establishment starts it again); off, it stops.
     */
    void enable(TcpConnection c, boolean on, long now) {
        if (on && !enabled && armable(c)) {
            at = now + idleNanos;
        } else if (!on) {
            at = Clock.NO_DEADLINE;
        }
        enabled = on;
    }

    /**
     * TCP_KEEPIDLE, Linux tcp_sock_set_keepidle_locked(): a running timer is moved to the new idle
     * time counted from the last segment received.
     */
    void setIdle(TcpConnection c, long nanos, long now) {
        idleNanos = nanos;
        if (enabled && armable(c)) {
            at = now + Math.max(0, idleNanos - (now - c.tcb.lastReceivedAt));
        }
    }

    /** Establishment (Linux tcp_finish_connect(), tcp_create_openreq_child()): a whole idle time. */
    void start(long now) {
        if (enabled) {
            at = now + idleNanos;
        }
    }

    void stop() {
        at = Clock.NO_DEADLINE;
    }

    /**
     * The timer fired (Linux tcp_keepalive_timer()). While data or a FIN is outstanding the
     * connection is "alive without keepalive" and the timer waits another idle time; an orphan
     * in FIN_WAIT_2 has its own timeout instead.
     */
    static void onTimeout(TcpConnection c, long now) {
        KeepAlive k = c.keepAlive;
        k.at = Clock.NO_DEADLINE;
        if (!k.enabled || !armable(c) || c.state() == TcpState.SYN_SENT
                || (c.orphaned && c.state() == TcpState.FIN_WAIT_2)) {
            return;
        } else if (busy(c.tcb)) {
            k.at = now + k.idleNanos;
            return;
        }
        long idle = now - c.tcb.lastReceivedAt;
        if (idle < k.idleNanos) {
            k.at = now + k.idleNanos - idle;
            return;
        }
        long user = c.userTimeoutNanos;
        // Linux: TCP_USER_TIMEOUT, when set, replaces the probe count (tcp_keepalive_timer()).
        if (user != 0 ? idle >= user && c.probesOut > 0 : c.probesOut >= k.probes) {
            c.abortOnTimeout(now);
            return;
        }
        Persist.sendProbe(c, now);
        c.probesOut++;
        k.at = now + k.intervalNanos;
    }

    /** Linux: the timer runs in every state but CLOSE and LISTEN (and TIME_WAIT, another socket). */
    private static boolean armable(TcpConnection c) {
        return c.state() != TcpState.CLOSED && c.state() != TcpState.TIME_WAIT;
    }

    /** Linux tp->packets_out || !tcp_write_queue_empty(): data or FIN in flight or waiting. */
    private static boolean busy(Tcb tcb) {
        return tcb.sndUna != tcb.sndNxt || Seq.lt(tcb.sndNxt, tcb.dataEnd()) || (tcb.finQueued && !tcb.finSent());
    }
}
