package io.tcpsim.tun;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that need the real kernel: /dev/net/tun, CAP_NET_ADMIN and CAP_SYS_ADMIN (network
 * namespaces). Tagged {@code tun}; see {@link TunAvailability} for when they skip or fail.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("tun")
@ExtendWith(TunAvailability.class)
public @interface RequiresTun {
}
