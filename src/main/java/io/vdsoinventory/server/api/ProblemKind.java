package io.vdsoinventory.server.api;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/** The failures a request can meet, each with its HTTP status, title and problem type. */
public enum ProblemKind {
    BAD_PARAMETER(HttpStatus.BAD_REQUEST, "Bad parameter"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    CONFLICT(HttpStatus.CONFLICT, "Conflict"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type"),
    UNPROCESSABLE_IMAGE(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable image"),
    INGEST_SATURATED(HttpStatus.TOO_MANY_REQUESTS, "Ingest saturated"),
    AUTH_THROTTLED(HttpStatus.TOO_MANY_REQUESTS, "Too many failed authentications");

    private final HttpStatus status;
    private final String title;

    ProblemKind(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    HttpStatus status() {
        return status;
    }

    String title() {
        return title;
    }

    private static final String TYPE_PREFIX = "urn:vdso-inventory:problem:";

    /** The problem {@code type} URI: {@code urn:vdso-inventory:problem:bad-parameter}. */
    String type() {
        return TYPE_PREFIX + slug(name());
    }

    /**
     * The type of a problem known only by its HTTP status (Spring MVC's and the servlet container's own refusals):
     * {@code urn:vdso-inventory:problem:method-not-allowed}, {@code ...:http-599} for a status without a name.
     */
    static String typeOf(int status) {
        HttpStatus named = HttpStatus.resolve(status);
        return TYPE_PREFIX + (named == null ? "http-" + status : slug(named.name()));
    }

    private static String slug(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
