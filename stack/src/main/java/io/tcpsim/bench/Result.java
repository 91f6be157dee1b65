package io.tcpsim.bench;

/**
 * One figure of a benchmark, measured in one run for tcpsim and its references: the kernel's own
 * TCP over veth and the raw TUN sink. NaN where a reference does not apply.
 *
 * @param workload throughput, rr, connect or concurrent
 * @param what the case, e.g. "kernel -> peer, 1 flow, MTU 1500"
 * @param unit Mbit/s, tps, us, conn/s, B/conn
 */
public record Result(String workload, String what, String unit, double tcpsim, double veth, double sink) {

    /** tcpsim's figure over the kernel-over-veth one. */
    public double ofVeth() {
        return tcpsim / veth;
    }

    /** tcpsim's figure over the raw TUN sink's. */
    public double ofSink() {
        return tcpsim / sink;
    }
}
