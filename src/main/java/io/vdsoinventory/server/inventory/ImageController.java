package io.vdsoinventory.server.inventory;

import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.Cursor;
import io.vdsoinventory.server.api.Page;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.security.RequiresRole;
import io.vdsoinventory.server.security.Role;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /images}, {@code /symbols}, {@code /kernels}: what the fleet runs. */
@RestController
@RequiresRole(Role.VIEWER)
class ImageController {

    private final ImageQueries queries;

    ImageController(ImageQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/images")
    Page<ImageQueries.ImageView> images(@RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        int size = Cursor.limit(limit, HostController.MAX_LIMIT);
        return Page.of(queries.page(Cursor.decode(cursor), size + 1), size, ImageQueries.ImageView::sha256);
    }

    @GetMapping("/images/{sha256}")
    ImageQueries.ImageView image(@PathVariable String sha256) {
        return queries.find(checked(sha256)).orElseThrow(() -> notFound(sha256));
    }

    @GetMapping("/images/{sha256}/raw")
    ResponseEntity<byte[]> raw(@PathVariable String sha256) {
        byte[] bytes = queries.bytes(checked(sha256)).orElseThrow(() -> notFound(sha256));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("vdso-" + sha256.substring(0, 12) + ".so").build().toString())
                .body(bytes);
    }

    /** Every defined exported symbol name with its image and host counts. */
    record Symbols(List<ImageQueries.SymbolCount> items) {
    }

    @GetMapping("/symbols")
    Symbols symbols() {
        return new Symbols(queries.symbols());
    }

    /** Every running kernel (release and arch). */
    record Kernels(List<ImageQueries.KernelView> items) {
    }

    @GetMapping("/kernels")
    Kernels kernels() {
        return new Kernels(queries.kernels());
    }

    private static String checked(String sha256) {
        if (!Sha256.isValid(sha256)) {
            throw ApiException.badParameter("sha256", "'" + sha256 + "' is not 64 lowercase hex digits");
        }
        return sha256;
    }

    private static ApiException notFound(String sha256) {
        return ApiException.of(ProblemKind.NOT_FOUND, "No image " + sha256);
    }
}
