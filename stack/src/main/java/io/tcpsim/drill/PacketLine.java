package io.tcpsim.drill;

import io.tcpsim.wire.TcpOption;
import java.util.List;

/**
 * A packet line: {@code < S. 0:0(0) ack 1 win 65535 <mss 1460>} (injected) or {@code > ...}
 * (expected from the stack), numbers as the script writes them (before mapping).
 *
 * @param inbound  {@code <}: the script sends it to the stack
 * @param flags    TCP flag bits ({@link io.tcpsim.wire.TcpPacket} constants)
 * @param seq      the start sequence number
 * @param length   payload bytes (end - start, as {@code (len)} says)
 * @param ack      the ack field, or null when not written
 * @param window   the window field, or null when not written
 * @param urgent   the urgent pointer, or null when not written
 * @param options  the options; null when no list is written, which means "no options"
 * @param anyOptions {@code <...>}: whatever options come are fine
 * @param srcPort  an explicit source port ({@code 1234>8080}), or -1
 * @param dstPort  an explicit destination port, or -1
 */
public record PacketLine(boolean inbound, int flags, long seq, int length, Long ack, Integer window, Integer urgent,
                         List<TcpOption> options, boolean anyOptions, int srcPort, int dstPort) implements Action {

    boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }
}
