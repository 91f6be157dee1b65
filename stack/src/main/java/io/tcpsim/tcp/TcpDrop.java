package io.tcpsim.tcp;

/**
 * Why TCP dropped a well-formed segment without acting on it, named after Linux's drop reasons
 * (enum skb_drop_reason, SKB_DROP_REASON_*), which Linux reports to tracing rather than to a MIB
 * counter; tcpsim counts them (TcpCounters, `tcpsim stats`). Segments answered with an ACK, a
 * challenge ACK or a RST are counted by those instead (TcpOutRsts, TcpExtTCPChallengeACK).
 */
public enum TcpDrop {
    /** No connection and no listener: Linux NO_SOCKET (a RST answers all but a RST). */
    NO_SOCKET,
    /** Flags that make no sense in the state: no ACK on a synchronized connection, no SYN or SYN+FIN at a listener (Linux TCP_FLAGS). */
    TCP_FLAGS,
    /** A RST at a listener: ignored (RFC 9293 §3.10.7.2 first; Linux TCP_RESET). */
    TCP_RESET,
    /** Outside the receive window (Linux tcp_sequence(): TCP_INVALID_SEQUENCE). */
    TCP_INVALID_SEQUENCE,
    /** An ACK of data not yet sent on an ESTABLISHED connection (Linux TCP_ACK_UNSENT_DATA). */
    TCP_ACK_UNSENT_DATA
}
