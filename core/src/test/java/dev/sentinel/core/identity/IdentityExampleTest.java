package dev.sentinel.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example of docs/concepts.md, "Identity and access", runs, and the docs show exactly this code. */
class IdentityExampleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void theExampleRuns() {
        try (Sentinel sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
            Actor operator = Actor.service("onboarding");
            UUID tenantA = Tenants.create(sentinel);
            UUID tenantB = Tenants.create(sentinel);

            // docs:start
            UUID alice = sentinel.system(operator).inTransaction(tx -> tx.users().create("alice@example.com", "Alice").id());
            sentinel.tenant(tenantA, operator).useTransaction(tx -> tx.members().add(alice, SeatType.PRO, "viewer"));
            sentinel.tenant(tenantB, operator).useTransaction(tx -> tx.members().add(alice, SeatType.PRO, "admin"));

            sentinel.tenant(tenantB, Actor.user(alice)).useTransaction(tx -> {
                tx.authorize("member:manage");          // passes: admin in tenant B
                tx.members().invite("bob@example.com", SeatType.FREE_BETA, "staff");
            });
            // In tenant A the same call throws PermissionDeniedException: Alice is a viewer there.
            // docs:end

            assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(alice)).useTransaction(tx -> {
                tx.authorize("member:manage");
                tx.members().invite("bob@example.com", SeatType.FREE_BETA, "staff");
            })).isInstanceOf(PermissionDeniedException.class);
            sentinel.tenant(tenantB, operator).useTransaction(tx ->
                    assertThat(tx.members().list()).extracting(Member::email).contains("alice@example.com", "bob@example.com"));
        }
    }

    @Test
    void theDocsShowThisExample() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/sentinel/core/identity/IdentityExampleTest.java"),
                StandardCharsets.UTF_8);
        String snippet = source.subList(source.indexOf("            // docs:start") + 1, source.indexOf("            // docs:end"))
                .stream().map(line -> line.length() >= 12 ? line.substring(12) : line.strip())
                .collect(Collectors.joining("\n"));
        String docs = Files.readString(Path.of("../docs/concepts.md"), StandardCharsets.UTF_8);
        assertThat(docs).describedAs("docs/concepts.md must show the example exactly as this test runs it").contains(snippet);
    }
}
