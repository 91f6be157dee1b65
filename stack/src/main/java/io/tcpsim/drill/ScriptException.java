package io.tcpsim.drill;

/**
 * A script that cannot be read: its file and line and what is wrong, printed as
 * {@code file:line: message} like a compiler's error.
 */
public final class ScriptException extends RuntimeException {
    private final String file;
    private final int line;
    private final String reason;

    public ScriptException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
