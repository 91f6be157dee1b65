package io.tcpsim.replay;

/**
 * One field on which tcpsim's segment and the captured one disagree.
 *
 * @param field    "flags", "seq", "ack", "length", "options" or "window"
 * @param captured the captured side's value, as text
 * @param tcpsim   tcpsim's value, as text
 */
public record Difference(String field, String captured, String tcpsim) {
}
