package io.tcpsim.wire;

/** A packet broke a rule of its RFC; {@link #reason()} says which. */
public final class MalformedPacketException extends RuntimeException {
    private final Malformed reason;

    public MalformedPacketException(Malformed reason) {
        super(reason.name() + ": " + reason.description(), null, false, false);
        this.reason = reason;
    }

    public Malformed reason() {
        return reason;
    }
}
