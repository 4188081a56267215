package dev.sentinel.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TransactionConflictException;
import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service over real HTTP against a real PostgreSQL: tenant isolation, soft delete, the job a
 * write enqueues (run under the request's trace), the audit trail, bad input answered with a 4xx
 * problem detail and never a 500, the health endpoint, and {@code @Transactional} refused.
 *
 * <p>The starter's test support points the context at {@code db} and closes it before {@code db}
 * drops the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {NotesApplication.class, NotesApiTest.SpringTransactionalWork.class})
class NotesApiTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/migration").build();

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    SpringTransactionalWork springTransactional;

    /** A service method under Spring's @Transactional that calls Sentinel: refused, see the test. */
    static class SpringTransactionalWork {
        private final Sentinel sentinel;

        SpringTransactionalWork(Sentinel sentinel) {
            this.sentinel = sentinel;
        }

        @Transactional
        public void createTenantInsideSpringTransaction(String slug) {
            sentinel.system(Actor.service("signup")).useTransaction(tx -> tx.dsl()
                    .execute("insert into sentinel.tenants (id, slug, name) values (?, ?, 'X')", UUID.randomUUID(), slug));
            throw new IllegalStateException("the rest of the method failed");
        }
    }

    @Test
    void aTenantSeesOnlyItsOwnNotes() throws Exception {
        UUID acme = createTenant("acme");
        UUID globex = createTenant("globex");
        UUID user = UUID.randomUUID();
        JsonNode note = json(send("POST", "/notes", acme, user, "{\"body\": \"acme's plan\"}", Map.of()), 201);

        assertThat(json(send("GET", "/notes", globex, user, null, Map.of()), 200).size()).isZero();
        assertProblem(send("GET", "/notes/" + note.get("id").asString(), globex, user, null, Map.of()), 404);
        assertThat(json(send("GET", "/notes", acme, user, null, Map.of()), 200).size()).isEqualTo(1);
    }

    @Test
    void aDeletedNoteIsGoneFromReadsAndItsTrailRecordsTheDeletion() throws Exception {
        UUID tenant = createTenant("deleting");
        UUID user = UUID.randomUUID();
        String id = json(send("POST", "/notes", tenant, user, "{\"body\": \"to delete\"}", Map.of()), 201).get("id").asString();

        assertThat(send("DELETE", "/notes/" + id, tenant, user, null, Map.of()).statusCode()).isEqualTo(204);

        assertProblem(send("GET", "/notes/" + id, tenant, user, null, Map.of()), 404);
        assertThat(json(send("GET", "/notes", tenant, user, null, Map.of()), 200).size()).isZero();
        assertThat(json(send("GET", "/notes/" + id + "/audit", tenant, user, null, Map.of()), 200).toString())
                .contains("insert").contains("soft_delete");
    }

    @Test
    void theJobAWriteEnqueuesRunsInItsTenantUnderTheRequestsTrace() throws Exception {
        ListAppender<ILoggingEvent> handlerLog = new ListAppender<>();
        handlerLog.start();
        ((Logger) LoggerFactory.getLogger(IndexNote.class)).addAppender(handlerLog);
        try {
            UUID tenant = createTenant("indexing");
            UUID user = UUID.randomUUID();
            String id = json(send("POST", "/notes", tenant, user, "{\"body\": \"index me\"}", Map.of("traceparent", TRACEPARENT)), 201)
                    .get("id").asString();

            long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!json(send("GET", "/notes/" + id, tenant, user, null, Map.of()), 200).get("indexed").asBoolean()) {
                assertThat(System.nanoTime()).describedAs("the job ran within the wait").isLessThan(giveUp);
                Thread.sleep(50);
            }
            ILoggingEvent indexed = handlerLog.list.stream().filter(event -> event.getFormattedMessage().contains(id))
                    .findFirst().orElseThrow();
            assertThat(indexed.getMDCPropertyMap())
                    .containsEntry("traceparent", TRACEPARENT)
                    .containsEntry("sentinel.tenant_id", tenant.toString())
                    .containsEntry("sentinel.actor", "service:jobs")
                    .containsKey("sentinel.job_id");
        } finally {
            ((Logger) LoggerFactory.getLogger(IndexNote.class)).detachAppender(handlerLog);
        }
    }

    @Test
    void badInputIsAFourHundredProblemDetailNeverAFiveHundred() throws Exception {
        UUID tenant = createTenant("careless");
        UUID user = UUID.randomUUID();
        String tenantId = tenant.toString();
        String userId = user.toString();

        assertProblem(raw("GET", "/notes", Map.of(), null), 400);                                   // no headers
        assertProblem(raw("GET", "/notes", Map.of("X-Tenant-Id", tenantId), null), 400);            // no user
        assertProblem(raw("GET", "/notes", Map.of("X-Tenant-Id", "acme", "X-User-Id", userId), null), 400);
        assertProblem(raw("GET", "/notes", Map.of("X-Tenant-Id", "1-1-1-1-1", "X-User-Id", userId), null), 400);
        assertProblem(raw("GET", "/notes/not-a-uuid", Map.of("X-Tenant-Id", tenantId, "X-User-Id", userId), null), 400);
        assertProblem(send("POST", "/notes", tenant, user, "{\"body\": \"\"}", Map.of()), 422);            // empty
        assertProblem(send("POST", "/notes", tenant, user, "{\"body\": \"" + "x".repeat(10 * 1024) + "\"}", Map.of()), 422);
        assertProblem(send("POST", "/notes", tenant, user, "{\"body\": ", Map.of()), 400);                  // not JSON
        assertProblem(send("POST", "/notes", tenant, user, "{}", Map.of()), 422);                           // no body field
        assertProblem(send("POST", "/notes", UUID.randomUUID(), user, "{\"body\": \"hi\"}", Map.of()), 422); // unknown tenant
        assertProblem(send("GET", "/notes", tenant, user, null, Map.of("X-Request-Id", "not allowed!")), 400);
    }

    @Test
    void sentinelInsideSpringsTransactionalIsRefusedAndWritesNothing() throws Exception {
        assertThatThrownBy(() -> springTransactional.createTenantInsideSpringTransaction("refused"))
                .isInstanceOf(TransactionConflictException.class)
                .hasMessageContaining("remove @Transactional");
        // Nothing was written: the slug, unique among tenants, is still free.
        json(send("POST", "/tenants", null, null, "{\"slug\": \"refused\", \"name\": \"R\"}", Map.of()), 201);
    }

    @Test
    void theHealthEndpointReportsSentinelUp() throws Exception {
        JsonNode health = json(raw("GET", "/actuator/health", Map.of(), null), 200);
        assertThat(health.at("/components/sentinel/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/sentinel/details/runtimeRole").asString()).isEqualTo(db.roles().app());
    }

    private UUID createTenant(String prefix) throws Exception {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = send("POST", "/tenants", null, null, "{\"slug\": \"" + slug + "\", \"name\": \"" + prefix + "\"}",
                Map.of());
        return UUID.fromString(json(response, 201).asString());
    }

    private HttpResponse<String> send(String method, String path, UUID tenant, UUID user, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        Map<String, String> all = new java.util.HashMap<>(headers);
        if (tenant != null) {
            all.put("X-Tenant-Id", tenant.toString());
        }
        if (user != null) {
            all.put("X-User-Id", user.toString());
        }
        return raw(method, path, all, body);
    }

    private HttpResponse<String> raw(String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).describedAs(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).describedAs(response.body()).isEqualTo(status).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("sentinel.").doesNotContain("SQLSTATE").doesNotContain("notes_");
        return response;
    }
}
