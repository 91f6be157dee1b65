package io.tcpsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap after full collections, the way per-connection heap is measured. */
final class Heap {

    private Heap() {
    }

    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
