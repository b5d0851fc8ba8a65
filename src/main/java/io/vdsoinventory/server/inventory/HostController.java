package io.vdsoinventory.server.inventory;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.Cursor;
import io.vdsoinventory.server.api.Page;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.security.RequiresRole;
import io.vdsoinventory.server.security.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** {@code /hosts}: the fleet, filtered, as JSON pages or streamed CSV; one host; its timeline. */
@RestController
@RequiresRole(Role.VIEWER)
class HostController {

    static final int MAX_LIMIT = 1000;
    private static final String CSV = "text/csv";

    private final HostQueries queries;

    HostController(HostQueries queries) {
        this.queries = queries;
    }

    @GetMapping(path = "/hosts", produces = MediaType.APPLICATION_JSON_VALUE)
    Page<HostView> hosts(HostFilter filter, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        filter.check();
        int size = Cursor.limit(limit, MAX_LIMIT);
        return Page.of(queries.page(filter, Cursor.decodeLong(cursor), size + 1), size,
                host -> Long.toString(host.id()));
    }

    /** The same filters as CSV, all matching hosts, streamed page by page (memory stays flat). */
    @GetMapping(path = "/hosts", produces = CSV)
    ResponseEntity<StreamingResponseBody> hostsCsv(HostFilter filter) {
        filter.check();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(CSV))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"hosts.csv\"")
                .body(out -> HostCsv.write(out, after -> queries.page(filter, after, MAX_LIMIT)));
    }

    @GetMapping("/hosts/{id}")
    HostView host(@PathVariable long id) {
        return queries.find(id).orElseThrow(() -> notFound(id));
    }

    @GetMapping("/hosts/{id}/events")
    Page<HostQueries.Event> events(@PathVariable long id, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        int size = Cursor.limit(limit, MAX_LIMIT);
        long after = Cursor.decodeLong(cursor);
        if (queries.find(id).isEmpty()) {
            throw notFound(id);
        }
        return Page.of(queries.events(id, after, size + 1), size, event -> Long.toString(event.id()));
    }

    private static ApiException notFound(long id) {
        return ApiException.of(ProblemKind.NOT_FOUND, "No host with id " + id);
    }
}
