package io.tcpsim.sim;

import java.util.List;

/**
 * What a {@link Soak} found.
 *
 * @param virtualNanos       virtual time simulated, the drain after the last session included
 * @param realNanos          wall-clock time the run took
 * @param sessions           sessions started
 * @param completed          sessions that transferred every byte both ways and closed
 * @param idled              sessions that idled with keepalive on before their request
 * @param verifiedBytes      bytes read by the applications, each checked against what was written
 * @param leakedConnections  connections either stack still held at the end (TIME_WAIT included)
 * @param leakedListeners    listeners still open at the end
 * @param leakedBufferBytes  buffer memory those connections held
 * @param packetsInFlight    whether packets were still on the link at the end
 * @param dropped            packets the fault injectors lost
 * @param duplicated         packets they duplicated
 * @param reordered          packets they held back so that later ones overtook them
 * @param retransmissions    segments both stacks retransmitted
 * @param failures           what went wrong, one line each; empty for a clean soak
 */
public record SoakResult(long virtualNanos, long realNanos, int sessions, int completed, int idled,
                         long verifiedBytes, int leakedConnections, int leakedListeners, long leakedBufferBytes,
                         boolean packetsInFlight, long dropped, long duplicated, long reordered,
                         long retransmissions, List<String> failures) {

    /** Every session completed and nothing was left behind. */
    public boolean clean() {
        return failures.isEmpty() && completed == sessions && leakedConnections == 0 && leakedListeners == 0
                && leakedBufferBytes == 0 && !packetsInFlight;
    }

    /** A few lines for people: what ran, what was verified, what leaked, what failed. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("soak: %.1f h virtual in %.1f s real: %d sessions, %d completed, %d idled with keepalive%n",
                virtualNanos / 3.6e12, realNanos / 1e9, sessions, completed, idled));
        sb.append(String.format("verified %d bytes; faults: %d lost, %d duplicated, %d reordered; %d retransmissions%n",
                verifiedBytes, dropped, duplicated, reordered, retransmissions));
        sb.append(String.format("left at the end: %d connections, %d listeners, %d buffer bytes, packets in flight: %s%n",
                leakedConnections, leakedListeners, leakedBufferBytes, packetsInFlight ? "yes" : "no"));
        failures.forEach(f -> sb.append("FAILED ").append(f).append('\n'));
        sb.append(clean() ? "clean" : "NOT clean").append('\n');
        return sb.toString();
    }
}
