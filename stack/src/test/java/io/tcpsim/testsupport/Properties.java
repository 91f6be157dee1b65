package io.tcpsim.testsupport;

import org.quicktheories.QuickTheory;

/**
 * The entry point for property tests: QuickTheories with 1000 examples and a fixed seed, so every
 * run draws the same examples. The seed is {@value #DEFAULT_SEED} unless the system property
 * {@value #SEED_PROPERTY} gives another ({@code ./mvnw verify -Dtcpsim.seed=42}); a failure reports
 * the seed it ran with ("Seed was ..."), which reproduces it. Generators may reject many candidates
 * (option lists must fit 40 bytes), so an example gets up to {@value #GENERATE_ATTEMPTS} attempts.
 */
public final class Properties {
    public static final String SEED_PROPERTY = "tcpsim.seed";
    public static final long DEFAULT_SEED = 20_260_101L;
    public static final int DEFAULT_EXAMPLES = 1000;
    static final int GENERATE_ATTEMPTS = 10_000;

    private Properties() {
    }

    /** QuickTheories with {@link #DEFAULT_EXAMPLES} examples and the fixed seed; {@code withExamples} changes the count. */
    public static QuickTheory qt() {
        return QuickTheory.qt().withFixedSeed(seed()).withExamples(DEFAULT_EXAMPLES)
                .withGenerateAttempts(GENERATE_ATTEMPTS);
    }

    /** The seed every property runs with. */
    public static long seed() {
        String given = System.getProperty(SEED_PROPERTY);
        if (given == null || given.isBlank()) {
            return DEFAULT_SEED;
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a whole number, got '" + given + "'", e);
        }
    }
}
