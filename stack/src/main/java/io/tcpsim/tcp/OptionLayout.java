package io.tcpsim.tcp;

/** How a SYN's or SYN-ACK's options are ordered and padded. */
public enum OptionLayout {
    /**
     * Linux tcp_options_write(): {@code mss,sackOK,TS,nop,wscale}, without timestamps
     * {@code mss,nop,nop,sackOK,nop,wscale}; in a simultaneous open the SYN-ACK repeats the SYN's
     * options (tcp_syn_options()).
     */
    LINUX,
    /**
     * FreeBSD tcp_addoptions(): {@code mss,nop,wscale,sackOK,TS}, each option after the No-Operations
     * its alignment asks for, the list ended by End-of-List padding ({@code mss,sackOK,eol,eol}).
     * A SYN-ACK, also in a simultaneous open, carries window scale, SACK-permitted and timestamps
     * only when the peer's SYN did (tcp_output()'s TF_RCVD_SCALE, TF_SACK_PERMIT, TF_RCVD_TSTMP).
     */
    FREEBSD
}
