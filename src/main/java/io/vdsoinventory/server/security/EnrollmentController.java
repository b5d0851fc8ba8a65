package io.vdsoinventory.server.security;

import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /agent/enroll} of openapi.yaml: the one agent call made with the enroll secret, not a node key. */
@RestController
class EnrollmentController {

    private final Enrollment enrollment;

    EnrollmentController(Enrollment enrollment) {
        this.enrollment = enrollment;
    }

    @PostMapping(path = "/agent/enroll", consumes = MediaType.APPLICATION_JSON_VALUE)
    EnrollResponse enroll(@Valid @RequestBody EnrollRequest request, HttpServletRequest http) {
        return enrollment.enroll(request, http.getRemoteAddr());
    }
}
