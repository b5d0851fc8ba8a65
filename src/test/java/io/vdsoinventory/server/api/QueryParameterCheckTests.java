package io.vdsoinventory.server.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.vdsoinventory.server.ServiceTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A query that names a parameter its operation does not take, or one twice, is refused instead of widened. */
class QueryParameterCheckTests extends ServiceTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/hosts?Symbol=number_of_the_beast | Symbol | did you mean 'symbol'?",
        "/hosts?symbols=number_of_the_beast | symbols | did you mean 'symbol'?",
        "/hosts?label=env=prod&label=x=y | label | is given 2 times",
        "/hosts?symbol=a&symbol=b | symbol | is given 2 times",
        "/kernels?arch=x86_64 | arch | this endpoint takes none",
        "/findings?severity=HIGH&hostId=1 | hostId | this endpoint takes [cursor, host, kind,",
    })
    void queryWhenAParameterIsUnknownOrRepeatedThen400NamingIt(String query, String parameter, String detail) {
        api(adminToken()).get(query).then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo(parameter))
                .body("detail", containsString(detail));
    }

    @Test
    void queryWhenEveryParameterIsDeclaredOnceThenAnswered() {
        api(adminToken()).get("/hosts?symbol=number_of_the_beast&flagged=true&limit=5").then().statusCode(200);
    }
}
