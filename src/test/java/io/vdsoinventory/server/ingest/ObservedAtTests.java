package io.vdsoinventory.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A report's {@code observedAt} places the events it records on the host's timeline: at the time the agent observed
 * them (a report spooled during an outage arrives later), never in the future, never before the host's previous
 * observed event; without it, at the report's arrival.
 */
class ObservedAtTests extends ServiceTestSupport {

    private static final String IMAGE_A = Sha256.of(new byte[] {'a'});
    private static final String IMAGE_B = Sha256.of(new byte[] {'b'});

    @Test
    void reportWhenObservedAnHourAgoChangesTheImageThenTheEventIsAtThatTimeAndLastSeenIsTheArrival() {
        Agent agent = reportedADayAgo("observed-1");
        Instant observed = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        Instant sent = Instant.now();

        report(agent, "observed-1", IMAGE_B, observed.toString());

        Map<String, Object> changed = event(agent, "IMAGE_CHANGED");
        assertThat(Instant.parse((String) changed.get("at"))).isEqualTo(observed);
        assertThat(Instant.parse((String) detail(changed).get("receivedAt"))).isAfterOrEqualTo(sent);
        assertThat(Instant.parse(api(adminToken()).get("/hosts/{id}", agent.hostId()).then().statusCode(200)
                .extract().<String>path("lastSeen"))).isAfterOrEqualTo(sent);
    }

    @Test
    void reportWhenObservedInTheFutureThenTheEventIsAtItsArrival() {
        Agent agent = reportedADayAgo("observed-2");
        Instant sent = Instant.now();

        report(agent, "observed-2", IMAGE_B, Instant.now().plus(Duration.ofDays(1)).toString());

        Map<String, Object> changed = event(agent, "IMAGE_CHANGED");
        assertThat(Instant.parse((String) changed.get("at"))).isBetween(sent, Instant.now());
        assertThat(detail(changed)).doesNotContainKey("receivedAt");
    }

    @Test
    void reportWhenObservedBeforeTheHostsPreviousObservationThenTheEventIsAtThatObservation() {
        Agent agent = reportedADayAgo("observed-3");
        Instant previous = Instant.parse((String) event(agent, "FIRST_REPORT").get("at"));

        report(agent, "observed-3", IMAGE_B, previous.minus(Duration.ofDays(365)).toString());

        Map<String, Object> changed = event(agent, "IMAGE_CHANGED");
        assertThat(Instant.parse((String) changed.get("at"))).isEqualTo(previous);
        assertThat(detail(changed)).containsKey("receivedAt");
    }

    @Test
    void reportWhenObservedAtAbsentThenTheEventIsAtItsArrival() {
        Agent agent = reportedADayAgo("observed-4");
        Instant sent = Instant.now();

        report(agent, "observed-4", IMAGE_B, null);

        Map<String, Object> changed = event(agent, "IMAGE_CHANGED");
        assertThat(Instant.parse((String) changed.get("at"))).isBetween(sent, Instant.now());
        assertThat(detail(changed)).doesNotContainKey("receivedAt");
    }

    @Test
    void reportWhenObservedAtMalformedThen400NamingTheFieldAndNothingWritten() {
        Agent agent = enroll(uniqueKey(), "observed-5");
        Map<String, Object> body = report("observed-5", "6.1.0", IMAGE_A, Map.of());
        body.put("observedAt", "yesterday at three");

        api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("observedAt"))
                .body("detail", containsString("observedAt"));

        assertThat(count("SELECT count(*) FROM reports WHERE host_id = :h", Map.of("h", agent.hostId()))).isZero();
        assertThat(count("SELECT count(*) FROM host_events WHERE host_id = :h", Map.of("h", agent.hostId())))
                .isOne();
    }

    /** A host that enrolled and first reported image A a day ago (its timeline moved back a day). */
    private Agent reportedADayAgo(String hostname) {
        Agent agent = enroll(uniqueKey(), hostname);
        report(agent, hostname, IMAGE_A, null);
        jdbc.sql("UPDATE host_events SET at = at - interval '1 day' WHERE host_id = :h")
                .param("h", agent.hostId()).update();
        return agent;
    }

    private void report(Agent agent, String hostname, String image, String observedAt) {
        Map<String, Object> body = report(hostname, "6.1.0", image, Map.of());
        if (observedAt != null) {
            body.put("observedAt", observedAt);
        }
        api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(200);
    }

    /** The host's one event of {@code kind}, as {@code GET /hosts/{id}/events} shows it. */
    private Map<String, Object> event(Agent agent, String kind) {
        return api(adminToken()).get("/hosts/{id}/events", agent.hostId()).then().statusCode(200)
                .extract().path("items.find { it.kind == '" + kind + "' }");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> event) {
        return (Map<String, Object>) event.get("detail");
    }
}
