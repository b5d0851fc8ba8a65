package io.vdsoinventory.server.api;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A request the service refuses, rendered as problem+json by {@link ProblemAdvice}. Thrown before anything is
 * written, or inside the transaction that it then rolls back.
 */
public final class ApiException extends RuntimeException {

    private final ProblemKind kind;
    private final @Nullable String parameter;
    private final @Nullable Duration retryAfter;

    private ApiException(ProblemKind kind, String detail, @Nullable String parameter, @Nullable Duration retryAfter) {
        super(detail);
        this.kind = kind;
        this.parameter = parameter;
        this.retryAfter = retryAfter;
    }

    /** A failure of {@code kind} explained by {@code detail}. */
    public static ApiException of(ProblemKind kind, String detail) {
        return new ApiException(kind, detail, null, null);
    }

    /** A bad request naming the offending parameter. */
    public static ApiException badParameter(String parameter, String detail) {
        return new ApiException(ProblemKind.BAD_PARAMETER, detail, parameter, null);
    }

    /** A conflict with stored state caused by one request field, named in the problem (a name already taken). */
    public static ApiException conflict(String parameter, String detail) {
        return new ApiException(ProblemKind.CONFLICT, detail, parameter, null);
    }

    /** A request refused because ingest is saturated; the client should retry after {@code retryAfter}. */
    public static ApiException saturated(Duration retryAfter) {
        return new ApiException(ProblemKind.INGEST_SATURATED,
                "Too many reports are being processed; retry after " + retryAfter.toSeconds() + " s", null,
                retryAfter);
    }

    /** A source address refused after too many failed authentications, until {@code retryAfter}. */
    public static ApiException authThrottled(Duration retryAfter) {
        return new ApiException(ProblemKind.AUTH_THROTTLED, "Too many failed authentications from this address; "
                + "retry after " + Math.max(1, retryAfter.toSeconds()) + " s", null, retryAfter);
    }

    public ProblemKind kind() {
        return kind;
    }

    @Nullable String parameter() {
        return parameter;
    }

    @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
