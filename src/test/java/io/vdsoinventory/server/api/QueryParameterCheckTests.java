package io.vdsoinventory.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A query that names a parameter its operation does not take, or a single-valued one twice, is refused instead of
 * widened; {@code label} repeats, and then all of them must hold.
 */
class QueryParameterCheckTests extends ServiceTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/hosts?Symbol=number_of_the_beast | Symbol | did you mean 'symbol'?",
        "/hosts?symbols=number_of_the_beast | symbols | did you mean 'symbol'?",
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
    void repeatedLabelsMeanAllOfThem() {
        String fleet = uniqueKey();
        Agent both = enroll(uniqueKey(), "labels-both");
        Agent one = enroll(uniqueKey(), "labels-one");
        for (Map.Entry<Agent, Map<String, String>> host : Map.of(both, Map.of("fleet", fleet, "env", "prod"),
                one, Map.of("fleet", fleet, "env", "dev")).entrySet()) {
            api(host.getKey().nodeKey()).contentType(ContentType.JSON)
                    .body(report("labels-host", "6.1.0", Sha256.of(fleet.getBytes(StandardCharsets.UTF_8)),
                            host.getValue()))
                    .post("/agent/reports").then().statusCode(200);
        }
        String all = "/hosts?label=fleet=" + fleet;

        assertThat(ids(all)).containsExactlyInAnyOrder(both.hostId(), one.hostId());
        assertThat(ids(all + "&label=env=prod")).containsExactly(both.hostId());
        assertThat(ids(all + "&label=env=prod&label=env=dev")).as("both values of one key: no host has them")
                .isEmpty();
        api(adminToken()).get(all + "&label=nokey").then().statusCode(400).body("parameter", equalTo("label"));
    }

    private List<Long> ids(String query) {
        return api(adminToken()).get(query).then().statusCode(200).extract().jsonPath().getList("items.id", Long.class);
    }

    @Test
    void queryWhenEveryParameterIsDeclaredOnceThenAnswered() {
        api(adminToken()).get("/hosts?symbol=number_of_the_beast&flagged=true&limit=5").then().statusCode(200);
    }
}
