package io.tcpsim.bench;

import java.util.Arrays;

/** Round-trip times in nanoseconds, recorded by one thread; percentiles once recording is over. */
public final class Latencies {

    private long[] samples = new long[1 << 16];
    private int size;

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public int count() {
        return size;
    }

    /** The {@code p}-th percentile (0 to 100) in microseconds; 0 without samples. */
    public double percentileMicros(double p) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.ceil(p / 100 * size) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
