package io.tcpsim.tun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables {@link RequiresTun} tests when the machine can run them. Otherwise they are skipped with
 * the reason, except when the environment variable {@code CI} is {@code true}: there a missing
 * TUN or capability is a failure, so a misconfigured runner cannot pass by skipping everything.
 */
final class TunAvailability implements ExecutionCondition {
    /** Capability numbers, {@code <linux/capability.h>}. */
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return decide(missingRequirement(Path.of(TunDevice.CLONE_DEVICE), effectiveCapabilities()),
                System.getenv("CI"));
    }

    /**
     * @param missing what the machine lacks, empty when nothing
     * @param ci the value of the CI environment variable, maybe null
     * @throws IllegalStateException when something is missing and {@code ci} is "true"
     */
    static ConditionEvaluationResult decide(Optional<String> missing, String ci) {
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("/dev/net/tun and CAP_NET_ADMIN are available");
        }
        if ("true".equalsIgnoreCase(ci)) {
            throw new IllegalStateException("TUN tests cannot run: " + missing.get()
                    + ". CI=true, so this fails instead of skipping: give the runner /dev/net/tun and root");
        }
        return ConditionEvaluationResult.disabled("skipped: " + missing.get()
                + " (TUN tests need /dev/net/tun and root; with CI=true they fail instead)");
    }

    /** @return what prevents TUN tests, given the device path and the CapEff bit mask */
    static Optional<String> missingRequirement(Path cloneDevice, long effectiveCapabilities) {
        if (!Files.exists(cloneDevice)) {
            return Optional.of(cloneDevice + " is missing");
        }
        long needed = (1L << CAP_NET_ADMIN) | (1L << CAP_SYS_ADMIN);
        if ((effectiveCapabilities & needed) != needed) {
            return Optional.of("CAP_NET_ADMIN and CAP_SYS_ADMIN are needed (not root?); CapEff is 0x"
                    + Long.toHexString(effectiveCapabilities));
        }
        return Optional.empty();
    }

    /** @return the CapEff mask of {@code /proc/self/status} ({@code proc(5)}) */
    private static long effectiveCapabilities() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("CapEff:"))
                    .map(line -> Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16))
                    .findFirst()
                    .orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
