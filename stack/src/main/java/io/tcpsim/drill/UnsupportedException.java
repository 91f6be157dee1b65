package io.tcpsim.drill;

/**
 * A script line written in packetdrill syntax that tcpsim's subset does not take (another IP
 * version, an option or call it does not know): the script is reported as skipped, not failed.
 */
public final class UnsupportedException extends RuntimeException {
    private final int line;

    public UnsupportedException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
