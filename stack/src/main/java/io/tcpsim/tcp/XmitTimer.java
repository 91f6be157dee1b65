package io.tcpsim.tcp;

/**
 * What the retransmission timer ({@link TcpConnection#rtoAt}) is set for, as Linux shares one
 * timer between them (icsk_pending): ss shows each as {@code on}.
 */
enum XmitTimer {
    /** The retransmission timeout (RFC 6298; Linux ICSK_TIME_RETRANS). */
    RTO,
    /** RACK's reorder timer (RFC 8985 §6.2 step 5; Linux ICSK_TIME_REO_TIMEOUT). */
    REORDER,
    /** The tail loss probe's timeout, PTO (RFC 8985 §7.2; Linux ICSK_TIME_LOSS_PROBE). */
    LOSS_PROBE
}
