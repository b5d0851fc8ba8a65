package io.vdsoinventory.server.lifecycle;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the host lifecycle ({@code vdso.lifecycle.*}).
 *
 * @param retireAfter a host that has not reported for this long is retired automatically; unset (the default):
 *        hosts are retired by an admin only
 * @param sweepInterval how often the automatic retirement looks for such hosts, and host key conflicts are
 *        checked for resolution
 * @param keyConflictWindow a host key enrolled again from another address while the node key it replaces
 *        reported within this window is a HOST_KEY_CONFLICT; the finding resolves once the host key went this long
 *        without another enrolment
 */
@ConfigurationProperties("vdso.lifecycle")
public record LifecycleProperties(@Nullable Duration retireAfter, @DefaultValue("1m") Duration sweepInterval,
        @DefaultValue("5m") Duration keyConflictWindow) {

    public LifecycleProperties {
        if (retireAfter != null && (retireAfter.isNegative() || retireAfter.isZero())) {
            throw new IllegalArgumentException("vdso.lifecycle.retire-after must be positive, got " + retireAfter);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero() || keyConflictWindow.isNegative()
                || keyConflictWindow.isZero()) {
            throw new IllegalArgumentException("vdso.lifecycle.sweep-interval and key-conflict-window must be positive");
        }
    }
}
