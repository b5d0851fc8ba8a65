package io.vdsoinventory.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every query parameter is UTF-8 text without NUL, checked on the raw query string before anything decodes it:
 * Tomcat fails the whole request on invalid UTF-8 (a 500 when a controller asks for a parameter), and PostgreSQL
 * refuses NUL in {@code text}. A parameter that is neither answers 400 naming it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestTextFilter extends OncePerRequestFilter {

    /** Why a query string is refused: the parameter and what is wrong with it. */
    record Refusal(String parameter, String detail) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Refusal refusal = check(request.getQueryString());
        if (refusal != null) {
            ProblemResponses.badParameter(response, refusal.parameter(), refusal.detail());
            return;
        }
        chain.doFilter(request, response);
    }

    /** The first parameter of {@code query} (raw, percent-encoded) that is not UTF-8 text without NUL. */
    static @Nullable Refusal check(@Nullable String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (name == null) {
                return new Refusal("(undecodable name)",
                        "A query parameter name is not percent-encoded UTF-8 text without NUL");
            }
            if (equals >= 0 && decode(pair.substring(equals + 1)) == null) {
                return new Refusal(name, "Parameter '" + name + "' is not percent-encoded UTF-8 text without NUL "
                        + "(U+0000)");
            }
        }
        return null;
    }

    /** Form-decodes {@code raw} ({@code +} is a space) as UTF-8 text without NUL; null when it is not that. */
    private static @Nullable String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1))
                        || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    return null;
                }
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        return StrictText.of(bytes.toByteArray());
    }
}
