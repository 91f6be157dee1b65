package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class TunAvailabilityTest {
    private static final long ROOT_CAPS = (1L << TunAvailability.CAP_NET_ADMIN) | (1L << TunAvailability.CAP_SYS_ADMIN);

    @Test
    void missingDeviceOrCapabilitiesAreReported() {
        assertEquals(Optional.of("/nonexistent/tun is missing"),
                TunAvailability.missingRequirement(Path.of("/nonexistent/tun"), ROOT_CAPS));
        assertTrue(TunAvailability.missingRequirement(Path.of("/"), 1L << TunAvailability.CAP_NET_ADMIN)
                .orElseThrow().startsWith("CAP_NET_ADMIN and CAP_SYS_ADMIN are needed"));
        assertEquals(Optional.empty(), TunAvailability.missingRequirement(Path.of("/"), ROOT_CAPS));
    }

    @Test
    void availableMachineRunsTheTests() {
        assertFalse(TunAvailability.decide(Optional.empty(), "true").isDisabled());
        assertFalse(TunAvailability.decide(Optional.empty(), null).isDisabled());
    }

    @Test
    void missingRequirementSkipsOutsideCi() {
        ConditionEvaluationResult result = TunAvailability.decide(Optional.of("/dev/net/tun is missing"), null);
        assertTrue(result.isDisabled());
        assertTrue(result.getReason().orElseThrow().startsWith("skipped: /dev/net/tun is missing"));
        assertTrue(TunAvailability.decide(Optional.of("x"), "false").isDisabled());
    }

    @Test
    void missingRequirementFailsOnCi() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TunAvailability.decide(Optional.of("/dev/net/tun is missing"), "true"));
        assertTrue(e.getMessage().contains("CI=true, so this fails instead of skipping"), e.getMessage());
    }
}
