package io.tcpsim.replay;

/**
 * The likely reason for a difference, as {@code docs/replay.md} explains each one. The replay
 * picks one per row from the fields that differ and the segments around it.
 */
public enum Cause {
    SACK("sack", "one segment carries SACK (RFC 2018) and the other does not: the receiver held other "
            + "out-of-order data at that moment than the captured one, or the captured peer did not offer SACK"),
    FAST_OPEN("fast-open", "TCP Fast Open (RFC 7413): tcpsim neither answers the cookie option nor accepts data "
            + "on a SYN, so it acknowledges only the SYN"),
    OPTIONS("options", "the option kinds differ"),
    CAPTURE_LOSS("capture-loss", "the capture lacks segments the captured side sent (the capturing tcpdump "
            + "dropped them, or they were lost before the capture point): tcpsim sends those bytes too, which the "
            + "capture does not show"),
    PSH("psh", "only PSH differs: tcpsim, as Linux, sets PSH on the segment that ends a write and on the one "
            + "that empties its send queue, but Linux also pushes when a write passes half the peer's largest "
            + "window (forced push), and the replay infers the application's writes from the capture"),
    SEGMENTATION("segmentation", "the bytes are cut into segments differently (segment sizes differ: the "
            + "capturing host's TSO/GSO, Nagle, the congestion window or the peer's window)"),
    FIN_ON_DATA("fin-on-data", "the captured side's FIN rode on its last data segment: Linux attaches the FIN to "
            + "a segment still waiting when the application closes (TCP autocorking holds a small last segment "
            + "while earlier ones are queued in the device); tcpsim had sent the data already and sends the FIN "
            + "alone"),
    ACK_VALUE("ack", "tcpsim acknowledged a different amount of the peer's data at this point"),
    ACK_TIMING("ack-timing", "a pure ACK sent at another moment or not at all (delayed ACK, quick-ACK mode, "
            + "an ACK carried by data instead)"),
    FIN_ACK("fin-ack", "the ACK of the peer's FIN at another moment: tcpsim, as Linux since 2.4 (tcp_fin() enters "
            + "pingpong mode), delays it so that the application's own FIN can carry it; Linux 2.2's tcp_fin() "
            + "acknowledged at once"),
    WINDOW_UPDATE("window-update", "a pure window update: Linux grows its receive window as the application "
            + "reads (tcp_rcv_space_adjust() auto-tuning), which tcpsim does not do yet"),
    RETRANSMISSION("retransmission", "a retransmission on one side only: loss on the captured network, or a "
            + "different retransmission timer"),
    PROBE_TIMING("probe-timing", "zero-window probes or keep-alives at other times: the persist timer backs off "
            + "from the retransmission timeout, which depends on the RTT history (unknown before a mid-stream "
            + "capture starts)"),
    SYN_RETRIES("syn-retries", "the SYN retransmission schedule differs: Linux 6.x resends at 1, 2, 3, 4 and 5 s "
            + "(tcp_syn_linear_timeouts) and then backs off, tcpsim at 1, 3, 7, 15, 31 and 63 s, other stacks at "
            + "other times"),
    WINDOW("window", "the window field differs (receive buffer sizes and auto-tuning differ)"),
    SEQUENCE("seq", "the segment starts at another relative sequence number"),
    CLOSE("close", "the connection ends differently (FIN, RST or nothing)"),
    OTHER("other", "not classified");

    private final String key;
    private final String explanation;

    Cause(String key, String explanation) {
        this.key = key;
        this.explanation = explanation;
    }

    /** The short name the reports and docs/replay.md use. */
    public String key() {
        return key;
    }

    public String explanation() {
        return explanation;
    }
}
