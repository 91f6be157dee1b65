package io.tcpsim.replay;

/** Which side of each conversation tcpsim plays in a replay. */
public enum Role {
    /** The side that received the SYN (the server). */
    SERVER,
    /** The side that sent the SYN (the client). */
    CLIENT;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
