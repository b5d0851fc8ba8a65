package io.vdsoinventory.server.lifecycle;

import io.vdsoinventory.server.security.RequiresRole;
import io.vdsoinventory.server.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /hosts/{id}/retire}: an admin retires a decommissioned host, with a reason (audited). */
@RestController
@RequiresRole(Role.ADMIN)
class HostLifecycleController {

    private final HostRetirement retirement;

    HostLifecycleController(HostRetirement retirement) {
        this.retirement = retirement;
    }

    /** Why the host is retired. */
    record Retire(@NotBlank @Size(max = 1000) String reason) {
    }

    @PostMapping("/hosts/{id}/retire")
    HostRetirement.Retirement retire(@PathVariable long id, @Valid @RequestBody Retire request,
            @RequestAttribute(RequiresRole.TOKEN_NAME) String by) {
        return retirement.retire(id, by, request.reason());
    }
}
