package io.vdsoinventory.server.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problems written where Spring MVC's advice cannot answer: a servlet filter before the dispatcher, and Tomcat's
 * own refusals (an over-long header, an invalid request line). Same shape as {@link ProblemAdvice}'s.
 */
final class ProblemResponses {

    static final String MEDIA_TYPE = "application/problem+json";

    private ProblemResponses() {
    }

    /** The problem's JSON: type, title, status, detail and, when a parameter is at fault, its name. */
    static byte[] body(int status, String type, String title, String detail, @Nullable String parameter) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (parameter != null) {
            problem.put("parameter", parameter);
        }
        return JsonMapper.shared().writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
    }

    /** Answers a bad parameter: 400, naming it. */
    static void badParameter(HttpServletResponse response, String parameter, String detail) throws IOException {
        write(response, HttpServletResponse.SC_BAD_REQUEST, ProblemKind.BAD_PARAMETER.type(),
                ProblemKind.BAD_PARAMETER.title(), detail, parameter);
    }

    static void write(HttpServletResponse response, int status, String type, String title, String detail,
            @Nullable String parameter) throws IOException {
        byte[] body = body(status, type, title, detail, parameter);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
