package io.tcpsim.sim;

import io.tcpsim.tcp.TcpConfig;

/**
 * One two-stack transfer: what is lost on the way, how long the round trip is, and which TCP the
 * sender runs.
 *
 * @param loss              probability that a data segment (sender to receiver) is lost
 * @param rttMillis         round-trip time of the empty path, split evenly between the two ways
 * @param congestionControl "reno" or "cubic"
 * @param sack              both stacks offer SACK (RFC 2018), as Linux's tcp_sack
 * @param bytes             how much the sender moves
 * @param bottleneckBps     rate of the sender's side of the path, with a drop-tail queue of one
 *                          bandwidth-delay product (at least 100 full packets)
 * @param seed              seed of the fault injectors: the same seed gives the same run
 */
public record Scenario(double loss, int rttMillis, String congestionControl, boolean sack, long bytes,
                       long bottleneckBps, long seed) {
    /** The MTU of the simulated path. */
    public static final int MTU = 1500;
    /** Send and receive buffers of both stacks: the region Linux's autotuning reaches (tcp_rmem max is 6 MB). */
    public static final int BUFFER = 4 << 20;

    public Scenario {
        if (loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("loss " + loss + " is not in [0, 1)");
        }
        if (rttMillis < 0) {
            throw new IllegalArgumentException("negative RTT " + rttMillis);
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes " + bytes + " is not positive");
        }
        if (bottleneckBps < 1_000) {
            throw new IllegalArgumentException("bottleneck " + bottleneckBps + " bit/s is below 1 kbit/s");
        }
        TcpConfig.linuxDefaults(MTU).withCongestionControl(congestionControl);
    }

    /** The TCP settings both stacks run with. */
    public TcpConfig tcpConfig() {
        return TcpConfig.linuxDefaults(MTU).withCongestionControl(congestionControl).withBuffers(BUFFER, BUFFER)
                .withSack(sack);
    }

    /** The bottleneck's queue: one bandwidth-delay product, and never less than 100 full packets. */
    public int queueBytes() {
        long bdp = bottleneckBps / 8 * rttMillis / 1000;
        return (int) Math.max(bdp, 100L * MTU);
    }
}
