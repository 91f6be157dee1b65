package io.tcpsim.replay;

/** The outcome for one row of a replay. */
public enum Verdict {
    /** A segment of the peer, given to tcpsim (not compared). */
    INJECTED,
    /** tcpsim sent the captured side's segment: same flags, relative seq and ack, length, option kinds (window). */
    MATCHED,
    /** tcpsim sent a segment in its place that differs on at least one compared field. */
    DIFFERS,
    /** The captured side sent it; tcpsim sent nothing in its place. */
    MISSING,
    /** tcpsim sent it; the captured side sent nothing like it. */
    EXTRA,
    /** tcpsim sent it after the capture had ended: shown, not counted. */
    AFTER_END,
    /** Part of the handshake a replay of a mid-stream capture makes up first: shown, not counted. */
    SYNTHETIC;

    /** True for the verdicts counted as "differ". */
    public boolean differs() {
        return this == DIFFERS || this == MISSING || this == EXTRA;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
