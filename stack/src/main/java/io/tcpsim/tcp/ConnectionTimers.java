package io.tcpsim.tcp;

import io.tcpsim.time.Clock;

/**
 * A connection's timers as deadlines ({@link Clock#NO_DEADLINE} when not armed), for tracing.
 *
 * @param retransmission the retransmission timer (RFC 6298; SYN and SYN-ACK retransmission too)
 * @param persist        the persist timer (zero-window probes, RFC 9293 §3.8.6.1)
 * @param delayedAck     the delayed-ACK timer (RFC 9293 §3.8.6.3)
 * @param timeWait       the TIME_WAIT timer, 2MSL
 * @param finWait2       the FIN_WAIT_2 timer of a connection the application closed
 */
public record ConnectionTimers(long retransmission, long persist, long delayedAck, long timeWait, long finWait2) {
}
