package io.vdsoinventory.server.security;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.Cursor;
import io.vdsoinventory.server.api.Page;
import io.vdsoinventory.server.api.ProblemKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /tokens}: an admin issues API tokens to people and tools, lists them, and revokes tokens and node keys. */
@RestController
@RequiresRole(Role.ADMIN)
class TokenController {

    private static final Logger log = LoggerFactory.getLogger(TokenController.class);
    private static final int MAX_LIMIT = 1000;
    private static final String NOT_BLANK = "(?s).*\\S.*";

    private final CredentialRepository credentials;
    private final Secrets secrets;

    TokenController(CredentialRepository credentials, Secrets secrets) {
        this.credentials = credentials;
        this.secrets = secrets;
    }

    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedToken issue(@Valid @RequestBody NewToken request) {
        Instant expiresAt = request.expiresAt();
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw ApiException.badParameter("expiresAt", "expiresAt must be in the future, got " + expiresAt);
        }
        String token = Tokens.generate(request.role() == Role.ADMIN ? "vdso_admin_" : "vdso_viewer_");
        if (!credentials.addApiToken(token, request.name(), request.role(), expiresAt)) {
            throw ApiException.conflict("name", "An API token named '" + request.name() + "' exists: choose another "
                    + "name, or revoke that token first");
        }
        return new IssuedToken(request.name(), request.role(), token, expiresAt);
    }

    /** {@code GET /tokens}: every API token in name order, keyset-paged by name; never a secret. */
    @GetMapping("/tokens")
    Page<CredentialRepository.TokenInfo> tokens(@RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        int size = Cursor.limit(limit, MAX_LIMIT);
        return Page.of(credentials.tokens(Cursor.decode(cursor), size + 1), size, CredentialRepository.TokenInfo::name);
    }

    /**
     * Revokes an API token by its name, or a leaked credential by its secret, as it was found
     * ({@link CredentialRepository#revoke}).
     */
    @PostMapping("/tokens/revoke")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@Valid @RequestBody Revocation request, @RequestAttribute(RequiresRole.TOKEN_NAME) String admin) {
        String token = request.token();
        String name = request.name();
        if ((token == null) == (name == null)) {
            throw ApiException.badParameter(token == null ? "token" : "name",
                    "Give either the token's secret (token) or its name (name), not both");
        }
        if (token != null ? secrets.isBootstrapAdminToken(token) : secrets.isBootstrapAdminTokenName(name)) {
            throw ApiException.of(ProblemKind.CONFLICT, "This is the service's bootstrap admin token, stored again at "
                    + "every start: set a new VDSO_ADMIN_TOKEN (or delete the admin-token file) and restart instead");
        }
        String what;
        if (token != null) {
            what = credentials.revoke(token)
                    .orElseThrow(() -> ApiException.of(ProblemKind.NOT_FOUND, "No API token or node key has this secret"))
                    .what();
        } else {
            if (!credentials.revokeApiToken(name)) {
                throw ApiException.of(ProblemKind.NOT_FOUND, "No API token is named '" + name + "'");
            }
            what = "API token '" + name + "'";
        }
        log.info("{} revoked by '{}'", what, admin);
    }

    /** The token to issue: who it is for, what it may do, and until when (null: until revoked). */
    record NewToken(@NotBlank @Size(max = 128) String name, @NotNull Role role, @Nullable Instant expiresAt) {
    }

    /** The issued token; its secret is shown only here. */
    record IssuedToken(String name, Role role, String token, @Nullable Instant expiresAt) {
    }

    /** The API token or node key to revoke: its secret, or (API tokens) its name. */
    record Revocation(@Nullable @Size(max = 512) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String token,
            @Nullable @Size(max = 128) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String name) {
    }
}
