package io.vdsoinventory.server.security;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /tokens}: an admin issues API tokens to people and tools, and revokes tokens and node keys. */
@RestController
@RequiresRole(Role.ADMIN)
class TokenController {

    private static final Logger log = LoggerFactory.getLogger(TokenController.class);

    private final CredentialRepository credentials;
    private final Secrets secrets;

    TokenController(CredentialRepository credentials, Secrets secrets) {
        this.credentials = credentials;
        this.secrets = secrets;
    }

    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedToken issue(@Valid @RequestBody NewToken request) {
        String token = Tokens.generate(request.role() == Role.ADMIN ? "vdso_admin_" : "vdso_viewer_");
        credentials.addApiToken(token, request.name(), request.role());
        return new IssuedToken(request.name(), request.role(), token);
    }

    /**
     * Revokes a leaked credential by its secret, as it was found ({@link CredentialRepository#revoke}).
     */
    @PostMapping("/tokens/revoke")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@Valid @RequestBody Revocation request, @RequestAttribute(RequiresRole.TOKEN_NAME) String admin) {
        if (secrets.isBootstrapAdminToken(request.token())) {
            throw ApiException.of(ProblemKind.CONFLICT, "This is the service's bootstrap admin token, stored again at "
                    + "every start: set a new VDSO_ADMIN_TOKEN (or delete the admin-token file) and restart instead");
        }
        CredentialRepository.Revoked revoked = credentials.revoke(request.token())
                .orElseThrow(() -> ApiException.of(ProblemKind.NOT_FOUND, "No API token or node key has this secret"));
        log.info("{} revoked by '{}'", revoked.what(), admin);
    }

    /** The token to issue: who it is for and what it may do. */
    record NewToken(@NotBlank @Size(max = 128) String name, @NotNull Role role) {
    }

    /** The issued token; its secret is shown only here. */
    record IssuedToken(String name, Role role, String token) {
    }

    /** The secret of the API token or node key to revoke. */
    record Revocation(@NotBlank @Size(max = 512) String token) {
    }
}
