package io.tcpsim.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresTun}. */
final class TunAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missing();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("TUN and root available");
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but TUN tests cannot run: " + missing);
        }
        return ConditionEvaluationResult.disabled("TUN test skipped: " + missing);
    }

    private static String missing() {
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun does not exist";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (creating namespaces and TUN devices needs CAP_NET_ADMIN)";
        }
        return null;
    }
}
