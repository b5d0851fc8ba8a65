package io.vdsoinventory.server.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A query parameter the contract does not name is refused (400 naming it), and so is one given twice unless the
 * contract declares it an array (repeatable, as {@code label}): a typo ({@code ?Symbol=}) or a repeated filter must
 * not silently widen a query to the whole fleet. The names come from
 * openapi.yaml, the contract every response is tested against, so the check and the contract cannot drift.
 * Runs after the bearer check: an unauthenticated caller learns nothing about the parameters.
 */
@Component
class QueryParameterCheck implements HandlerInterceptor, WebMvcConfigurer {

    /** An operation's query parameters, and those of them that may repeat (declared as arrays). */
    private record Declared(Set<String> names, Set<String> repeatable) {
    }

    /** The query parameters of each operation, by {@code "METHOD /path/{template}"}. */
    private final Map<String, Declared> parameters;

    QueryParameterCheck() {
        this.parameters = load();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).order(100);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // no query string, no parameters (no operation takes a form body): a heartbeat costs no lookup here
        if (!(handler instanceof HandlerMethod) || request.getQueryString() == null) {
            return true;
        }
        String method = "HEAD".equals(request.getMethod()) ? "GET" : request.getMethod();
        Declared declared = parameters.get(method + " "
                + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
        if (declared == null) {
            return true; // not an operation of the contract (actuator)
        }
        Set<String> known = declared.names();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if (!known.contains(name)) {
                throw ApiException.badParameter(name, "Unknown parameter '" + name + "'" + suggestion(name, known)
                        + (known.isEmpty() ? "; this endpoint takes none" : "; this endpoint takes " + known));
            }
            if (parameter.getValue().length > 1 && !declared.repeatable().contains(name)) {
                throw ApiException.badParameter(name, "Parameter '" + name + "' is given "
                        + parameter.getValue().length + " times; it takes one value");
            }
        }
        return true;
    }

    private static String suggestion(String name, Set<String> known) {
        return known.stream().filter(candidate -> candidate.equalsIgnoreCase(name)
                        || candidate.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT))
                        || name.toLowerCase(Locale.ROOT).startsWith(candidate.toLowerCase(Locale.ROOT)))
                .findFirst().map(candidate -> " (did you mean '" + candidate + "'?)").orElse("");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Declared> load() {
        Map<String, Object> contract;
        try (InputStream in = new ClassPathResource("openapi.yaml").getInputStream()) {
            contract = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml is not on the class path", e);
        }
        Map<String, Object> components = (Map<String, Object>) contract.getOrDefault("components", Map.of());
        Map<String, Object> shared = (Map<String, Object>) components.getOrDefault("parameters", Map.of());
        Map<String, Declared> parameters = new HashMap<>();
        ((Map<String, Map<String, Object>>) contract.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            if (!(op instanceof Map<?, ?>)) {
                return;
            }
            Map<String, Object> operation = (Map<String, Object>) op;
            TreeSet<String> names = new TreeSet<>();
            Set<String> repeatable = new TreeSet<>();
            for (Object declared : (List<Object>) operation.getOrDefault("parameters", List.of())) {
                Map<String, Object> parameter = (Map<String, Object>) declared;
                Object ref = parameter.get("$ref");
                if (ref != null) {
                    parameter = (Map<String, Object>) shared.get(ref.toString().substring(ref.toString()
                            .lastIndexOf('/') + 1));
                }
                if ("query".equals(parameter.get("in"))) {
                    names.add(parameter.get("name").toString());
                    Object schema = parameter.get("schema");
                    if (schema instanceof Map<?, ?> typed && "array".equals(typed.get("type"))) {
                        repeatable.add(parameter.get("name").toString());
                    }
                }
            }
            parameters.put(method.toUpperCase(Locale.ROOT) + " " + path,
                    new Declared(Collections.unmodifiableSortedSet(names), Set.copyOf(repeatable)));
        }));
        return Map.copyOf(parameters);
    }
}
