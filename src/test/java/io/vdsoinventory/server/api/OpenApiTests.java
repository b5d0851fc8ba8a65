package io.vdsoinventory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.server.ServiceTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OpenApiTests extends ServiceTestSupport {

    @Test
    void openApiWhenRequestedWithoutTokenThenServesTheRepositoryContract() throws Exception {
        String served = api().get("/openapi.yaml").then().statusCode(200).contentType("application/yaml")
                .extract().asString();

        assertThat(served).isEqualTo(Files.readString(Path.of("openapi.yaml")));
    }

    @Test
    void unknownPathWhenRequestedThenProblemJson404() {
        api().get("/no/such/path").then().statusCode(404).contentType("application/problem+json");
    }
}
