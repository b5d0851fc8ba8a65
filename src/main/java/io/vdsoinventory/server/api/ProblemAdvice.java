package io.vdsoinventory.server.api;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place failures become RFC 9457 problem+json: the service's named {@link ApiException}s, Spring MVC's
 * own (malformed JSON, bad parameters, wrong media type, unknown path), an unreachable database (503, not 500)
 * and, last, any unforeseen failure (500 without a stack trace).
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException exception) {
        ProblemKind kind = exception.kind();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), exception.getMessage());
        problem.setTitle(kind.title());
        problem.setType(URI.create(kind.type()));
        if (exception.parameter() != null) {
            problem.setProperty("parameter", exception.parameter());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(kind.status());
        Duration retryAfter = exception.retryAfter();
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response.body(problem);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException exception) {
        log.warn("Database unavailable: {}", exception.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The inventory database is unreachable; retry later");
        problem.setTitle("Database unavailable");
        problem.setType(URI.create("urn:vdso-inventory:problem:database-unavailable"));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER.toSeconds()))
                .body(problem);
    }

    /** Anything unforeseen: logged here with its stack trace, answered without one. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException exception) {
        log.error("Unexpected failure", exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The service failed unexpectedly; the failure is logged on the server");
        problem.setTitle("Internal error");
        problem.setType(URI.create("urn:vdso-inventory:problem:internal-error"));
        return ResponseEntity.internalServerError().body(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException exception) {
        return apiException(ApiException.badParameter(exception.getName(),
                "Parameter '" + exception.getName() + "' has an invalid value '" + exception.getValue() + "'"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String fields = exception.getBindingResult().getFieldErrors().stream()
                .map(ProblemAdvice::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        ProblemDetail problem = badRequest(fields);
        problem.setProperty("parameter", exception.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField()).sorted().findFirst().orElse("body"));
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException exception, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        ProblemDetail problem = badRequest("Parameter '" + exception.getParameterName() + "' is required");
        problem.setProperty("parameter", exception.getParameterName());
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = exception.getCause();
        while (cause != null && !(cause instanceof JacksonException)) {
            cause = cause.getCause();
        }
        String reason = cause != null ? reason((JacksonException) cause) : "the body is missing or unreadable";
        String field = cause instanceof DatabindException ? field((DatabindException) cause) : "";
        ProblemDetail problem = badRequest("Malformed request body: " + (field.isEmpty() ? "" : field + ": ") + reason);
        problem.setProperty("parameter", field.isEmpty() ? "body" : field);
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * Why a body was refused, in JSON's terms: which kind of value the field takes (Jackson's own messages name
     * Java types and parser internals, which tell a client nothing and an attacker too much).
     */
    private static String reason(JacksonException exception) {
        if (StrictJsonConfiguration.NUL_MESSAGE.equals(exception.getOriginalMessage())) {
            return StrictJsonConfiguration.NUL_MESSAGE;
        }
        if (exception instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            if (mismatch instanceof InvalidFormatException invalid && invalid.getValue() instanceof String text) {
                return "'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "' is not " + expected;
            }
            return "expected " + expected;
        }
        if (exception instanceof DatabindException) {
            return "not a value of the expected type";
        }
        return "not well-formed JSON";
    }

    private static String expected(Class<?> type) {
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 date-time such as 2026-01-31T12:00:00Z";
        }
        if (type == String.class || type == UUID.class) {
            return type == UUID.class ? "a UUID" : "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class
                || type == Long.class || type == Short.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /**
     * The field of a value that is well-formed JSON but not of the field's type (e.g. {@code observedAt} that is no
     * instant), spelt as bean validation spells it ({@code vdso.size}, {@code clockCheck[0].clock}); empty when
     * the failure names none.
     */
    private static String field(DatabindException exception) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** Spring MVC's own problems (405, 406, 415, unknown path...) get a named type too (Spring leaves it unset). */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(exception, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail) {
            ProblemDetail problem = (ProblemDetail) response.getBody();
            if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
                problem.setType(URI.create(ProblemKind.typeOf(status.value())));
            }
        }
        return response;
    }

    /**
     * "flagged: 'maybe' is not a valid value" for conversion failures (naming the valid values of an enum),
     * "hostname must not be blank" otherwise.
     */
    private static String describe(FieldError error) {
        if (error.isBindingFailure()) {
            Class<?> type = error.contains(TypeMismatchException.class)
                    ? error.unwrap(TypeMismatchException.class).getRequiredType() : null;
            return error.getField() + ": '" + error.getRejectedValue() + "' is not a valid value"
                    + (type != null && type.isEnum() ? "; valid values: " + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString).collect(Collectors.joining(", ")) : "");
        }
        return error.getField() + " " + error.getDefaultMessage();
    }

    private static ProblemDetail badRequest(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle(ProblemKind.BAD_PARAMETER.title());
        problem.setType(URI.create(ProblemKind.BAD_PARAMETER.type()));
        return problem;
    }
}
