package io.tcpsim.sim;

/**
 * What a {@link TwoStackSimulation} measured.
 *
 * @param scenario        the run
 * @param delivered       bytes the receiving application read, each checked against what was sent
 * @param transferNanos   virtual time from connect() to the last byte read
 * @param finished        every byte arrived and the receiver then read end-of-stream
 * @param retransmissions segments the sender retransmitted (TcpRetransSegs)
 * @param timeouts        retransmission timeouts on the sender (TcpExtTCPTimeouts)
 * @param dropped         packets the fault injector discarded
 */
public record SimulationResult(Scenario scenario, long delivered, long transferNanos, boolean finished,
                               long retransmissions, long timeouts, long dropped) {
    /** Application bytes per second of virtual time, in bit/s. */
    public double goodputBps() {
        return transferNanos == 0 ? 0 : delivered * 8e9 / transferNanos;
    }
}
