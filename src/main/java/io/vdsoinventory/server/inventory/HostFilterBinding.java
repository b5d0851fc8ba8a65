package io.vdsoinventory.server.inventory;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Binds {@link HostFilter} straight from the query string. Spring's data binding of the record took 12% of the
 * CPU of a {@code GET /hosts} request (JFR at 1,000,000 hosts); reading a dozen parameters needs none of it. A value
 * that does not convert is a bad parameter (400 naming it); an empty typed value is absent, as Spring binds it.
 */
@Configuration(proxyBeanMethods = false)
class HostFilterBinding implements WebMvcConfigurer, HandlerMethodArgumentResolver {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == HostFilter.class;
    }

    @Override
    public HostFilter resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
            NativeWebRequest request, @Nullable WebDataBinderFactory binderFactory) {
        return new HostFilter(request.getParameter("symbol"), request.getParameter("kernelRelease"),
                request.getParameter("arch"), request.getParameter("image"), request.getParameter("buildId"),
                constant(request, "findingKind", FindingKind.class),
                typed(request, "flagged", HostFilterBinding::bool),
                constant(request, "minSeverity", Severity.class),
                labels(request),
                typed(request, "changedSince", Instant::parse),
                request.getParameter("q"),
                typed(request, "retired", HostFilterBinding::bool),
                typed(request, "scan", HostFilter.Scan::parse));
    }

    /** An enum's constant by its name; a bad value's 400 lists the valid ones. */
    private static <E extends Enum<E>> @Nullable E constant(NativeWebRequest request, String name, Class<E> type) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(name, "Parameter '" + name + "' has an invalid value '" + value
                    + "'; valid values: " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
        }
    }

    private static <T> @Nullable T typed(NativeWebRequest request, String name, Function<String, T> convert) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return convert.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiException.badParameter(name, "Parameter '" + name + "' has an invalid value '" + value + "'");
        }
    }

    /** Every {@code label} given, in order; none: empty. */
    private static List<String> labels(NativeWebRequest request) {
        String[] values = request.getParameterValues("label");
        return values == null ? List.of() : List.of(values);
    }

    /** The spellings Spring's own conversion accepts, so the binding does not change. */
    private static Boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException(value);
        };
    }
}
