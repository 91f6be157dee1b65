package io.tcpsim.socket;

/**
 * {@code struct linger} for SO_LINGER (socket(7)): {@code onoff} non-zero turns lingering on;
 * {@code linger} is the time close(2) may wait, in seconds (0: close resets the connection).
 */
public record Linger(int onoff, int linger) {
    public static final Linger OFF = new Linger(0, 0);
}
