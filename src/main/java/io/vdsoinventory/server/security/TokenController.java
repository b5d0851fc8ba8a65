package io.vdsoinventory.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /tokens}: an admin issues API tokens to people and tools. */
@RestController
@RequiresRole(Role.ADMIN)
class TokenController {

    private final CredentialRepository credentials;

    TokenController(CredentialRepository credentials) {
        this.credentials = credentials;
    }

    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedToken issue(@Valid @RequestBody NewToken request) {
        String token = Tokens.generate(request.role() == Role.ADMIN ? "vdso_admin_" : "vdso_viewer_");
        credentials.addApiToken(token, request.name(), request.role());
        return new IssuedToken(request.name(), request.role(), token);
    }

    /** The token to issue: who it is for and what it may do. */
    record NewToken(@NotBlank @Size(max = 128) String name, @NotNull Role role) {
    }

    /** The issued token; its secret is shown only here. */
    record IssuedToken(String name, Role role, String token) {
    }
}
