package io.tcpsim.testsupport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the inputs one fuzz test class ran, and after it prints the count, so that a CI log shows
 * whether Jazzer fuzzed (thousands of inputs with {@code JAZZER_FUZZ} set) or only replayed the
 * seed corpus (regression mode, a handful). In fuzzing mode {@link #assertFuzzed} fails when
 * Jazzer ran fewer inputs than a real run gives, so a silently idle fuzzer does not pass.
 */
public final class FuzzRuns {
    /** Far fewer inputs than even a few seconds of fuzzing runs on the slowest target. */
    private static final long MIN_FUZZED_INPUTS = 100;

    private final String name;
    private final AtomicLong inputs = new AtomicLong();
    private final long startNanos = System.nanoTime();

    public FuzzRuns(String name) {
        this.name = name;
    }

    /** Whether Jazzer runs in fuzzing mode (the environment variable JAZZER_FUZZ is set). */
    public static boolean fuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        return v != null && !v.isEmpty();
    }

    public void count() {
        inputs.incrementAndGet();
    }

    public long inputs() {
        return inputs.get();
    }

    /** Prints the count; in fuzzing mode, fails when the fuzzer barely ran. */
    public void assertFuzzed() {
        long seconds = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        System.out.printf("fuzz %s: %d inputs in %d s (%s mode)%n", name, inputs(), seconds,
                fuzzing() ? "fuzzing" : "regression");
        if (fuzzing() && inputs() < MIN_FUZZED_INPUTS) {
            throw new AssertionError(name + " ran only " + inputs() + " inputs in fuzzing mode");
        }
    }
}
