package io.tcpsim.drill;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The connection the script is talking to (packetdrill's socket under test) and its number
 * mapping. The script is the remote side, so its own numbers go out as written (packetdrill's
 * live and script remote ISNs are the same); the stack's are shifted by the local ISN, which the
 * script writes as 0: the sequence number of the stack's SYN or SYN-ACK, 0 until one is seen.
 */
final class Flow {
    /** How far the socket under test has come. */
    enum Stage { SOCKET, BOUND, LISTENING, CONNECTING, FLOWING }

    Stage stage;
    /** The stack's port, -1 until known (a connect's comes with its SYN). */
    int localPort;
    /** The script's port, -1 until known. */
    int remotePort;
    /** The stack's segments carry timestamps (RFC 7323): TCP_INFO's snd_mss is 12 bytes less. */
    boolean timestamps;
    private long localIsn;
    private boolean localIsnKnown;
    /** Outbound TS val as the script wrote it -> the live value (packetdrill's ts_val_map). */
    private final Map<Long, Integer> tsVals = new HashMap<>();

    Flow(Stage stage, int localPort, int remotePort) {
        this.stage = stage;
        this.localPort = localPort;
        this.remotePort = remotePort;
    }

    boolean hasTuple() {
        return localPort >= 0 && remotePort >= 0;
    }

    boolean owns(int srcPort, int dstPort) {
        return hasTuple() && srcPort == localPort && dstPort == remotePort;
    }

    /** The stack's SYN or SYN-ACK: its sequence number is the local ISN (once). */
    void sawLocalSyn(int seq) {
        if (!localIsnKnown) {
            localIsn = Integer.toUnsignedLong(seq);
            localIsnKnown = true;
        }
    }

    long localIsn() {
        return localIsn;
    }

    /** A live outbound sequence number in script space. */
    long outboundSeq(int live) {
        return (Integer.toUnsignedLong(live) - localIsn) & 0xFFFFFFFFL;
    }

    /** A script ack (or SACK edge) of the stack's data, live. */
    int inboundAck(long script) {
        return (int) (script + localIsn);
    }

    void rememberTsVal(long script, int live) {
        tsVals.put(script, live);
    }

    /** The live TS val an inbound ecr written as {@code script} stands for. */
    OptionalInt liveTsVal(long script) {
        Integer live = tsVals.get(script);
        return live == null ? OptionalInt.empty() : OptionalInt.of(live);
    }
}
