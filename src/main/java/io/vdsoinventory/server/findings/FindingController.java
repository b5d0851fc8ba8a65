package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.api.Cursor;
import io.vdsoinventory.server.api.Page;
import io.vdsoinventory.server.security.RequiresRole;
import io.vdsoinventory.server.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /findings}: what detection says, and suppressing it. */
@RestController
@RequiresRole(Role.VIEWER)
class FindingController {

    private static final int MAX_LIMIT = 1000;

    private final FindingService service;

    FindingController(FindingService service) {
        this.service = service;
    }

    @GetMapping("/findings")
    Page<FindingView> findings(FindingFilter filter, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        int size = Cursor.limit(limit, MAX_LIMIT);
        return Page.of(service.findings(filter, FindingQueries.Key.decode(cursor), size + 1), size,
                finding -> FindingQueries.Key.of(finding).encode());
    }

    /** {@code POST /findings/{id}/suppress}: why the finding is accepted. */
    record Suppress(@NotBlank @Size(max = 1000) String reason) {
    }

    @PostMapping("/findings/{id}/suppress")
    @RequiresRole(Role.ADMIN)
    FindingView suppress(@PathVariable long id, @Valid @RequestBody Suppress request,
            @RequestAttribute(RequiresRole.TOKEN_NAME) String by) {
        return service.suppress(id, by, request.reason());
    }
}
