package io.tcpsim.ip;

import io.tcpsim.wire.TcpdumpFormatter;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;

/**
 * Where dropped packets are told: at debug level, one line in tcpdump syntax with the reason, so
 * that a user who turns debug on sees what the stack refused and why. Costs nothing when off.
 */
final class DropLog {

    private static final System.Logger LOG = System.getLogger("io.tcpsim.ip.drop");

    void dropped(String reason, MemorySegment packet) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "drop (" + reason + "): " + TcpdumpFormatter.absolute(packet));
        }
    }

    /** A bug: processing threw. Logged at warning level with the packet, whatever the log level. */
    void internalError(MemorySegment packet, RuntimeException e) {
        LOG.log(Level.WARNING, "internal error on " + TcpdumpFormatter.absolute(packet), e);
    }
}
