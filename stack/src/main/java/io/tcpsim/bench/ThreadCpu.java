package io.tcpsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time, user and system, of this process's platform threads: the load generator's event
 * loops and the peer's threads (tcpsim's stack thread, the sink's, the veth peer's loop), with the
 * kernel's work done on their behalf (a TUN write runs the kernel's TCP receive on the writer's
 * thread, connect(2) and close(2) run on the generator's). Not counted: the JIT compiler and GC
 * threads (a warm-up effect, not a cost per connection), and softirq work left to ksoftirqd. What
 * a connection cost, whatever else shares the cores.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU the live threads have used so far (a thread that ended is not counted). */
    static long nanos() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            sum += Math.max(0, THREADS.getThreadCpuTime(id));
        }
        return sum;
    }
}
