package io.vdsoinventory.server.ingest;

import io.vdsoinventory.protocol.ImageReceipt;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.metrics.ReportResult;
import io.vdsoinventory.server.security.RequiresNodeKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent protocol of openapi.yaml after enrolment ({@code /agent/enroll} is security's): {@code /agent/reports},
 * {@code /agent/images}.
 */
@RestController
class AgentController {

    private final IngestService ingest;
    private final int maxImageSize;

    AgentController(IngestService ingest, VdsoProperties properties) {
        this.ingest = ingest;
        this.maxImageSize = Math.toIntExact(properties.ingest().maxImageSize().toBytes());
    }

    @RequiresNodeKey
    @PostMapping(path = "/agent/reports", consumes = MediaType.APPLICATION_JSON_VALUE)
    ReportResponse report(@RequestAttribute(RequiresNodeKey.HOST_ID) long hostId,
            @Valid @RequestBody ReportRequest report, HttpServletRequest request) {
        IngestService.Reported reported = ingest.report(hostId, report);
        if (reported.duplicate()) {
            request.setAttribute(ReportResult.ATTRIBUTE, ReportResult.DUPLICATE);
        }
        return reported.answer();
    }

    @RequiresNodeKey
    @PutMapping(path = "/agent/images/{sha256}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<ImageReceipt> upload(@RequestAttribute(RequiresNodeKey.HOST_ID) long hostId,
            @PathVariable String sha256, HttpServletRequest request) throws IOException {
        if (!Sha256.isValid(sha256)) {
            throw ApiException.badParameter("sha256", "'" + sha256 + "' is not 64 lowercase hex digits");
        }
        if (request.getContentType() == null) {
            // Spring takes a body without Content-Type for octet-stream; an upload says what it sends
            throw ApiException.of(ProblemKind.UNSUPPORTED_MEDIA_TYPE,
                    "An image upload needs Content-Type: application/octet-stream");
        }
        byte[] bytes = readLimited(request);
        IngestService.Upload upload = ingest.upload(hostId, sha256, bytes);
        return ResponseEntity.status(upload.created() ? HttpStatus.CREATED : HttpStatus.OK).body(upload.receipt());
    }

    /** Reads the body, refusing (413) anything over the limit before reading more than one byte past it. */
    private byte[] readLimited(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxImageSize) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(maxImageSize + 1);
            if (bytes.length > maxImageSize) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    private ApiException tooLarge() {
        return ApiException.of(ProblemKind.PAYLOAD_TOO_LARGE,
                "An image upload may be at most " + maxImageSize + " bytes (vdso.ingest.max-image-size)");
    }
}
