package io.tcpsim.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that opens a real TUN inside a network namespace (tag {@code tun}). Without
 * /dev/net/tun or root it is skipped with the reason, except under {@code CI=true}, where it fails.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("tun")
@ExtendWith(TunAvailable.class)
public @interface RequiresTun {
}
