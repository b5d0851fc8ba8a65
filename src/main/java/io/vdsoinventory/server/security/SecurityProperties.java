package io.vdsoinventory.server.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of authentication ({@code vdso.security.*}).
 *
 * @param authFailureLimit failed authentications of one source address within a window before it is throttled
 * @param authFailureWindow the window; a throttled address is refused until its window ends
 */
@ConfigurationProperties("vdso.security")
public record SecurityProperties(
        @DefaultValue("20") int authFailureLimit,
        @DefaultValue("1m") Duration authFailureWindow) {

    public SecurityProperties {
        if (authFailureLimit < 1 || authFailureWindow.isNegative() || authFailureWindow.isZero()) {
            throw new IllegalArgumentException("vdso.security.auth-failure-limit and -window must be positive");
        }
    }
}
