package io.vdsoinventory.server.trust;

import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.security.RequiresRole;
import io.vdsoinventory.server.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin decisions about images: trust or block one, import a reference image for a kernel identity. */
@RestController
@RequiresRole(Role.ADMIN)
class TrustController {

    private final TrustService service;
    private final long maxImageSize;

    TrustController(TrustService service, VdsoProperties properties) {
        this.service = service;
        this.maxImageSize = properties.ingest().maxImageSize().toBytes();
    }

    /** {@code PUT /images/{sha256}/trust}. */
    record TrustRequest(@NotNull TrustService.Verdict verdict, @NotBlank @Size(max = 1000) String note) {
    }

    @PutMapping("/images/{sha256}/trust")
    TrustService.Decision trust(@PathVariable String sha256, @Valid @RequestBody TrustRequest request,
            @RequestAttribute(RequiresRole.TOKEN_NAME) String by) {
        if (!Sha256.isValid(sha256)) {
            throw ApiException.badParameter("sha256", "'" + sha256 + "' is not 64 lowercase hex digits");
        }
        return service.trust(sha256, request.verdict(), request.note(), by);
    }

    @PostMapping(path = "/images/reference", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    TrustService.Reference reference(@RequestParam String kernelRelease, @RequestParam String kernelVersion,
            @RequestParam String arch, @RequestBody byte[] bytes, @RequestAttribute(RequiresRole.TOKEN_NAME) String by) {
        check("kernelRelease", kernelRelease, 256);
        check("kernelVersion", kernelVersion, 512);
        check("arch", arch, 32);
        if (bytes.length > maxImageSize) {
            throw ApiException.of(ProblemKind.PAYLOAD_TOO_LARGE, "The reference is " + bytes.length
                    + " bytes, over vdso.ingest.max-image-size (" + maxImageSize + ")");
        }
        return service.importReference(kernelRelease, kernelVersion, arch, bytes, by);
    }

    private static void check(String parameter, String value, int max) {
        if (value.isBlank() || value.length() > max) {
            throw ApiException.badParameter(parameter, parameter + " must be 1.." + max + " characters");
        }
    }
}
