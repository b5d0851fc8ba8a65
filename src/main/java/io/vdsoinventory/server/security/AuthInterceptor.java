package io.vdsoinventory.server.security;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The bearer check: handlers marked {@link RequiresRole} take a person's API token of that role or higher,
 * handlers marked {@link RequiresNodeKey} take an agent's node key. No, unknown or expired token is 401; the wrong
 * kind of credential or too low a role is 403. Unmarked handlers are public.
 */
@Component
class AuthInterceptor implements HandlerInterceptor {

    private static final String BEARER = "Bearer ";

    /**
     * Longer than the agents' default report interval (60 s), so a heartbeat's bearer check is answered from memory;
     * short enough that a credential revoked on another instance stops working within it.
     */
    static final Duration CACHE_TTL = Duration.ofSeconds(90);
    /** About 20 MB of hashes at most. */
    static final int CACHE_ENTRIES = 100_000;

    private final CredentialRepository credentials;
    private final CredentialCache cache;
    private final AuthFailures failures;

    AuthInterceptor(CredentialRepository credentials, CredentialCache cache, AuthFailures failures) {
        this.credentials = credentials;
        this.cache = cache;
        this.failures = failures;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        HandlerMethod method = (HandlerMethod) handler;
        RequiresRole role = method.getMethodAnnotation(RequiresRole.class);
        if (role == null) {
            role = method.getBeanType().getAnnotation(RequiresRole.class);
        }
        boolean needsNodeKey = method.hasMethodAnnotation(RequiresNodeKey.class)
                || method.getBeanType().isAnnotationPresent(RequiresNodeKey.class);
        if (role == null && !needsNodeKey) {
            return true;
        }
        String token = bearerToken(request);
        if (token == null) {
            throw unauthorized(response, "A bearer token is required");
        }
        CredentialCache.Caller caller = caller(token, request.getRemoteAddr())
                .orElseThrow(() -> unauthorized(response, "The bearer token is not known"));
        Optional<Long> host = Optional.ofNullable(caller.hostId());
        Optional<CredentialRepository.ApiToken> granted = Optional.ofNullable(caller.apiToken());
        if (needsNodeKey) {
            if (host.isEmpty()) {
                throw ApiException.of(ProblemKind.FORBIDDEN, "This endpoint is for agents: use a node key");
            }
            request.setAttribute(RequiresNodeKey.HOST_ID, host.get());
            return true;
        }
        if (granted.isEmpty()) {
            throw ApiException.of(ProblemKind.FORBIDDEN, "Node keys cannot query the inventory: use an API token");
        }
        if (granted.get().expired(Instant.now())) {
            throw unauthorized(response, "The bearer token expired at " + granted.get().expiresAt());
        }
        if (!granted.get().role().includes(role.value())) {
            throw ApiException.of(ProblemKind.FORBIDDEN, "This needs the " + role.value() + " role");
        }
        request.setAttribute(RequiresRole.TOKEN_NAME, granted.get().name());
        return true;
    }

    /**
     * Who {@code token} belongs to: from the cache, or looked up (and then remembered) when it is known. A token
     * not in the cache from a throttled {@code address} is refused (429) without being looked up.
     */
    private Optional<CredentialCache.Caller> caller(String token, String address) {
        String hash = Tokens.hash(token);
        Optional<CredentialCache.Caller> cached = cache.get(hash);
        if (cached.isPresent()) {
            return cached;
        }
        failures.throttled(address).ifPresent(wait -> {
            throw ApiException.authThrottled(wait);
        });
        Optional<Long> host = credentials.hostOfNodeKey(token);
        Optional<CredentialCache.Caller> found = host.isPresent()
                ? Optional.of(new CredentialCache.Caller(host.get(), null))
                : credentials.apiToken(token).map(apiToken -> new CredentialCache.Caller(null, apiToken));
        found.ifPresentOrElse(caller -> cache.put(hash, caller), () -> failures.failed(address));
        return found;
    }

    private static @Nullable String bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private static ApiException unauthorized(HttpServletResponse response, String detail) {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return ApiException.of(ProblemKind.UNAUTHORIZED, detail);
    }
}
