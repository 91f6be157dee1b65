package io.tcpsim.drill;

/** An event that did not go as the script says: the runner reports it as {@code file:line: message}. */
final class EventFailure extends RuntimeException {
    private final int line;

    /** A failure of the event being run. */
    EventFailure(String message) {
        this(0, message);
    }

    /** A failure of the event at {@code line} (a blocking call that returns later), 0 for the current one. */
    EventFailure(int line, String message) {
        super(message);
        this.line = line;
    }

    int line() {
        return line;
    }
}
