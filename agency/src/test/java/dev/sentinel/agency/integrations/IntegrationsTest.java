package dev.sentinel.agency.integrations;

import static dev.sentinel.agency.db.Tables.INTEGRATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.IntegrationStatus;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.agency.support.DomainFixture;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.secrets.SecretKey;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Integrations: one connection per tenant and provider, tokens sealed at rest (as the owner role
 * reads them) and never in the audit trail, scopes and configuration as JSON, connect, refresh,
 * errors and disconnect with their states, permissions and tenant isolation. Runs as the
 * application role.
 */
class IntegrationsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Instant EXPIRY = Instant.parse("2026-12-01T10:00:00Z");

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID adminUser;
    private static Actor admin;

    @BeforeAll
    static void start() throws Exception {
        byte[] material = MessageDigest.getInstance("SHA-256").digest("integrations test key".getBytes(StandardCharsets.UTF_8));
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4)
                .secretKeys(SecretKeys.of(SecretKey.of("it-k1", material))).build();
        tenant = Tenants.create(sentinel);
        adminUser = DomainFixture.member(sentinel, tenant, "admin");
        admin = Actor.user(adminUser);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    /** A token no other test uses, so that finding it anywhere proves where it leaked from. */
    private static String token(String kind) {
        return kind + "-" + UUID.randomUUID();
    }

    private static Integration connect(NewIntegration connection) {
        return sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).connect(connection));
    }

    /** A column of a row as stored, read by the owner role (system scope: RLS is forced on the owner too). */
    private static String stored(String column, UUID id) throws Exception {
        try (java.sql.Connection connection = db.ownerDataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement scope = connection.createStatement()) {
                scope.execute("set local sentinel.scope = 'system'; set local sentinel.tenant_id = ''");
            }
            try (PreparedStatement select = connection.prepareStatement("select " + column + " from agency.integrations where id = ?")) {
                select.setObject(1, id);
                try (ResultSet row = select.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    return row.getString(1);
                } finally {
                    connection.rollback();
                }
            }
        }
    }

    /** Every audit row of the tenant as text: action, diff and meta. */
    private static List<String> auditTexts(UUID inTenant) {
        List<AuditEntry> entries = sentinel.tenant(inTenant, Tenants.SETUP).inTransaction(tx ->
                tx.audit().list(AuditFilter.all(), 1000).entries());
        List<String> texts = new ArrayList<>();
        entries.forEach(e -> texts.add(e.action() + " " + e.entityType() + " " + e.diff() + " " + e.meta() + " " + e.message()));
        return texts;
    }

    @Test
    void connectedTokensAreSealedAtRestAndOpenOnlyThroughTheRepository() throws Exception {
        String access = token("access");
        String refresh = token("refresh");
        Integration google = connect(NewIntegration.of("google", new OAuthTokens(access, refresh, EXPIRY))
                .scopes(List.of("openid", "https://www.googleapis.com/auth/calendar", "openid"))
                .configJson("{\"calendar\": \"primary\", \"sync_days\": 30}").externalAccountId("acme.example"));

        assertThat(google.status()).isEqualTo(IntegrationStatus.CONNECTED);
        assertThat(google.hasAccessToken()).isTrue();
        assertThat(google.hasRefreshToken()).isTrue();
        assertThat(google.scopes()).containsExactly("openid", "https://www.googleapis.com/auth/calendar");
        assertThat(google.configJson()).isEqualTo("{\"calendar\": \"primary\", \"sync_days\": 30}");
        assertThat(google.tokenExpiresAt().toInstant()).isEqualTo(EXPIRY);
        assertThat(google.connectedAt()).isNotNull();
        assertThat(google.createdBy()).isEqualTo(adminUser);
        assertThat(google.toString()).doesNotContain(access).doesNotContain(refresh);

        String storedAccess = stored("access_token", google.id());
        String storedRefresh = stored("refresh_token", google.id());
        assertThat(storedAccess).describedAs("what the owner role reads").startsWith("sv1:it-k1:").doesNotContain(access);
        assertThat(storedRefresh).startsWith("sv1:it-k1:").doesNotContain(refresh);

        OAuthTokens opened = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).tokens("google"));
        assertThat(opened.accessToken()).isEqualTo(access);
        assertThat(opened.refreshToken()).isEqualTo(refresh);
        assertThat(opened.expiresAt()).isEqualTo(EXPIRY);
        assertThat(opened.toString()).doesNotContain(access).doesNotContain(refresh);
    }

    @Test
    void theAuditTrailRecordsEveryChangeButNeverAToken() throws Exception {
        UUID audited = Tenants.create(sentinel);
        Actor auditedAdmin = Actor.user(DomainFixture.member(sentinel, audited, "admin"));
        List<String> tokens = List.of(token("a1"), token("r1"), token("a2"), token("a3"), token("r3"));
        UUID id = sentinel.tenant(audited, auditedAdmin).inTransaction(tx ->
                tx.attach(Integrations.class).connect(NewIntegration.of("slack", new OAuthTokens(tokens.get(0), tokens.get(1), EXPIRY))).id());
        List<String> ciphertexts = new ArrayList<>(List.of(stored("access_token", id), stored("refresh_token", id)));
        sentinel.tenant(audited, auditedAdmin).useTransaction(tx -> tx.attach(Integrations.class).refreshTokens("slack", OAuthTokens.access(tokens.get(2))));
        ciphertexts.add(stored("access_token", id));
        sentinel.tenant(audited, auditedAdmin).useTransaction(tx -> tx.attach(Integrations.class).recordError("slack", "invalid_grant"));
        sentinel.tenant(audited, auditedAdmin).useTransaction(tx ->
                tx.attach(Integrations.class).connect(NewIntegration.of("slack", new OAuthTokens(tokens.get(3), tokens.get(4), null))));
        ciphertexts.add(stored("access_token", id));
        ciphertexts.add(stored("refresh_token", id));
        sentinel.tenant(audited, auditedAdmin).useTransaction(tx -> tx.attach(Integrations.class).disconnect("slack"));

        List<AuditEntry> trail = DomainFixture.audit(sentinel, audited, "agency.integrations", id);
        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "update", "update", "update", "insert");
        assertThat(trail.getLast().diff()).contains("\"access_token\": {\"new\": \"[redacted]\"}")
                .contains("\"refresh_token\": {\"new\": \"[redacted]\"}").contains("\"provider\": {\"new\": \"slack\"}");
        assertThat(trail.get(3).diff()).describedAs("the refresh").contains("\"access_token\": {\"new\": \"[redacted]\", \"old\": \"[redacted]\"}")
                .doesNotContain("refresh_token");
        assertThat(trail.get(2).diff()).describedAs("the error").contains("\"last_error\": {\"new\": \"invalid_grant\", \"old\": null}");
        assertThat(trail.getFirst().diff()).describedAs("the disconnect")
                .contains("\"access_token\": {\"new\": null, \"old\": \"[redacted]\"}")
                .contains("\"status\": {\"new\": \"disconnected\", \"old\": \"connected\"}");

        List<String> everything = auditTexts(audited);
        for (String secret : tokens) {
            assertThat(everything).noneMatch(text -> text.contains(secret));
        }
        for (String sealed : ciphertexts) {
            assertThat(sealed).startsWith("sv1:");
            assertThat(everything).describedAs("not even sealed").noneMatch(text -> text.contains(sealed));
        }
    }

    @Test
    void aTenantHasOneConnectionPerProviderAndConnectingAgainReconnectsIt() {
        UUID own = Tenants.create(sentinel);
        UUID firstAdmin = DomainFixture.member(sentinel, own, "admin");
        Integration first = sentinel.tenant(own, Actor.user(firstAdmin)).inTransaction(tx ->
                tx.attach(Integrations.class).connect(NewIntegration.of("hubspot", new OAuthTokens(token("a"), token("r"), EXPIRY))
                        .scopes(List.of("crm.objects.contacts.read")).externalAccountId("portal-1")));
        sentinel.tenant(own, Actor.user(firstAdmin)).useTransaction(tx -> tx.attach(Integrations.class).disconnect("hubspot"));

        String again = token("again");
        Integration second = sentinel.tenant(own, Tenants.SETUP).inTransaction(tx ->
                tx.attach(Integrations.class).connect(NewIntegration.of("hubspot", OAuthTokens.access(again))));
        assertThat(second.id()).describedAs("the same row").isEqualTo(first.id());
        assertThat(second.status()).isEqualTo(IntegrationStatus.CONNECTED);
        assertThat(second.hasRefreshToken()).describedAs("replaced by what this connection issued: none").isFalse();
        assertThat(second.scopes()).isEmpty();
        assertThat(second.externalAccountId()).isNull();
        assertThat(second.tokenExpiresAt()).isNull();
        assertThat(second.createdBy()).describedAs("who first connected it").isEqualTo(firstAdmin);
        sentinel.tenant(own, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.attach(Integrations.class).tokens("hubspot").accessToken()).isEqualTo(again);
            assertThat(tx.attach(Integrations.class).list()).extracting(Integration::provider).containsExactly("hubspot");
            assertThat(tx.dsl().fetchCount(INTEGRATIONS)).isEqualTo(1);
        });
    }

    @Test
    void aRefreshReplacesTheAccessTokenAndKeepsTheRefreshTokenUnlessANewOneCame() {
        String refresh = token("refresh");
        connect(NewIntegration.of("xero", new OAuthTokens(token("old"), refresh, EXPIRY)));
        String fresh = token("fresh");
        Instant later = EXPIRY.plusSeconds(3600);
        Integration refreshed = sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.attach(Integrations.class).refreshTokens("xero", new OAuthTokens(fresh, null, later)));
        assertThat(refreshed.tokenExpiresAt().toInstant()).isEqualTo(later);
        OAuthTokens now = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).tokens("xero"));
        assertThat(now.accessToken()).isEqualTo(fresh);
        assertThat(now.refreshToken()).describedAs("kept").isEqualTo(refresh);

        String rotated = token("rotated");
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx ->
                tx.attach(Integrations.class).refreshTokens("xero", new OAuthTokens(token("newer"), rotated, later)));
        String refreshNow = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).tokens("xero").refreshToken());
        assertThat(refreshNow).describedAs("a rotated refresh token replaces the old one").isEqualTo(rotated);
    }

    @Test
    void anErrorKeepsTheTokensAndARefreshConnectsAgain() {
        String access = token("access");
        connect(NewIntegration.of("linkedin", OAuthTokens.access(access)));
        Integration failed = sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.attach(Integrations.class).recordError("linkedin", "401 token revoked by the user"));
        assertThat(failed.status()).isEqualTo(IntegrationStatus.ERROR);
        assertThat(failed.lastError()).isEqualTo("401 token revoked by the user");
        String kept = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).tokens("linkedin").accessToken());
        assertThat(kept).isEqualTo(access);

        Integration healed = sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.attach(Integrations.class).refreshTokens("linkedin", OAuthTokens.access(token("healed"))));
        assertThat(healed.status()).isEqualTo(IntegrationStatus.CONNECTED);
        assertThat(healed.lastError()).isNull();
        assertThatThrownBy(() -> sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx ->
                tx.attach(Integrations.class).recordError("linkedin", " "))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aDisconnectErasesTheTokensAndNothingButAConnectBringsThemBack() throws Exception {
        Integration meta = connect(NewIntegration.of("meta", new OAuthTokens(token("a"), token("r"), EXPIRY))
                .configJson("{\"page\": \"acme\"}"));
        Integration disconnected = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).disconnect("meta"));
        assertThat(disconnected.status()).isEqualTo(IntegrationStatus.DISCONNECTED);
        assertThat(disconnected.hasAccessToken()).isFalse();
        assertThat(disconnected.hasRefreshToken()).isFalse();
        assertThat(disconnected.tokenExpiresAt()).isNull();
        assertThat(disconnected.configJson()).describedAs("kept for a reconnect").isEqualTo("{\"page\": \"acme\"}");
        assertThat(stored("access_token", meta.id())).isNull();
        assertThat(stored("refresh_token", meta.id())).isNull();

        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(Integrations.class).tokens("meta")))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("holds no tokens");
        assertThatThrownBy(() -> sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx ->
                tx.attach(Integrations.class).refreshTokens("meta", OAuthTokens.access(token("late")))))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("connect it first");
        assertThatThrownBy(() -> sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.attach(Integrations.class).recordError("meta", "x")))
                .isInstanceOf(InvalidStateTransitionException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(Integrations.class).disconnect("meta")))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("disconnected already");
        assertThat(stored("access_token", meta.id())).isNull();
    }

    @Test
    void aRefreshWaitingForADisconnectFindsTheConnectionGone() throws Exception {
        connect(NewIntegration.of("dropbox", new OAuthTokens(token("a"), token("r"), EXPIRY)));
        AtomicReference<Throwable> refreshOutcome = new AtomicReference<>();
        sentinel.tenant(tenant, admin).useTransaction(tx -> {
            tx.attach(Integrations.class).disconnect("dropbox");
            // A background refresher arrives while the disconnect is not committed yet: it waits for the row lock.
            Thread refresher = Thread.ofPlatform().start(() -> {
                try {
                    sentinel.tenant(tenant, Actor.service("token-refresher")).useTransaction(other ->
                            other.attach(Integrations.class).refreshTokens("dropbox", OAuthTokens.access(token("resurrected"))));
                } catch (Throwable e) {
                    refreshOutcome.set(e);
                }
            });
            // pg_stat_activity is a snapshot per transaction: clear it on every look.
            while (refresher.isAlive() && !waitsForALock(tx)) {
                Thread.sleep(5);
            }
            tx.afterCommit(() -> joinQuietly(refresher));
        });
        assertThat(refreshOutcome.get()).isInstanceOf(InvalidStateTransitionException.class);
        Integration after = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Integrations.class).find("dropbox").orElseThrow());
        assertThat(after.status()).isEqualTo(IntegrationStatus.DISCONNECTED);
        assertThat(after.hasAccessToken()).isFalse();
    }

    private static boolean waitsForALock(Tx tx) {
        tx.dsl().fetch("select pg_stat_clear_snapshot()"); // pg_stat_activity is a snapshot per transaction otherwise
        return tx.dsl().fetchOne("select count(*) from pg_stat_activity where datname = current_database()"
                + " and wait_event_type = 'Lock'").get(0, Long.class) > 0;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWrittenAndNeverEchoesAToken() {
        String secret = token("secret");
        int before = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.dsl().fetchCount(INTEGRATIONS));
        assertThatThrownBy(() -> NewIntegration.of("Google", OAuthTokens.access(secret))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("provider 'Google'");
        assertThatThrownBy(() -> NewIntegration.of("g", OAuthTokens.access(secret))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> OAuthTokens.access("")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new OAuthTokens(secret, "", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> NewIntegration.of("google", OAuthTokens.access(secret)).scopes(List.of("calendar read")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("scope 'calendar read'").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> NewIntegration.of("google", OAuthTokens.access(secret)).configJson("[1, 2]"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> connect(NewIntegration.of("google_drive", OAuthTokens.access(secret)).configJson("{oops")))
                .describedAs("PostgreSQL parses the configuration").isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(Integrations.class).find("NOPE")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(Integrations.class).disconnect("never_connected")))
                .isInstanceOf(NotFoundException.class);
        int after = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.dsl().fetchCount(INTEGRATIONS));
        assertThat(after).isEqualTo(before);
        assertThat(NewIntegration.of("google", new OAuthTokens(secret, secret, null)).toString()).doesNotContain(secret);
    }

    @Test
    void everyWriteNeedsItsPermissionAndARefusalWritesNothing() throws Exception {
        String access = token("guarded");
        Integration guarded = connect(NewIntegration.of("stripe", OAuthTokens.access(access)));
        String sealedBefore = stored("access_token", guarded.id());
        Actor staff = Actor.user(DomainFixture.member(sentinel, tenant, "staff"));
        Actor viewer = Actor.user(DomainFixture.member(sentinel, tenant, "viewer"));
        int auditBefore = DomainFixture.auditCount(sentinel, tenant);

        for (Actor actor : List.of(staff, viewer)) {
            assertDenied(actor, "integration:connect", tx -> tx.attach(Integrations.class).connect(NewIntegration.of("stripe", OAuthTokens.access(token("x")))));
            assertDenied(actor, "integration:connect", tx -> tx.attach(Integrations.class).connect(NewIntegration.of("paypal", OAuthTokens.access(token("x")))));
            assertDenied(actor, "integration:refresh", tx -> tx.attach(Integrations.class).refreshTokens("stripe", OAuthTokens.access(token("x"))));
            assertDenied(actor, "integration:refresh", tx -> tx.attach(Integrations.class).recordError("stripe", "no"));
            assertDenied(actor, "integration:disconnect", tx -> tx.attach(Integrations.class).disconnect("stripe"));
        }

        assertThat(stored("access_token", guarded.id())).isEqualTo(sealedBefore);
        assertThat(DomainFixture.auditCount(sentinel, tenant)).isEqualTo(auditBefore);
        java.util.Optional<Integration> paypal = sentinel.tenant(tenant, viewer).inTransaction(tx -> tx.attach(Integrations.class).find("paypal"));
        assertThat(paypal).isEmpty();
        String read = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Integrations.class).tokens("stripe").accessToken());
        assertThat(read).describedAs("reads need no permission").isEqualTo(access);
    }

    @Test
    void anotherTenantsConnectionIsInvisibleAndTheSystemScopeHasNone() {
        connect(NewIntegration.of("zoom", OAuthTokens.access(token("zoom"))));
        UUID other = Tenants.create(sentinel);
        sentinel.tenant(other, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.attach(Integrations.class).find("zoom")).isEmpty();
            assertThat(tx.attach(Integrations.class).list()).isEmpty();
        });
        assertThatThrownBy(() -> sentinel.tenant(other, Tenants.SETUP).useTransaction(tx -> tx.attach(Integrations.class).tokens("zoom")))
                .isInstanceOf(NotFoundException.class);
        Integration theirs = sentinel.tenant(other, Tenants.SETUP).inTransaction(tx ->
                tx.attach(Integrations.class).connect(NewIntegration.of("zoom", OAuthTokens.access(token("theirs")))));
        assertThat(theirs.tenantId()).describedAs("each tenant has its own connection to the provider").isEqualTo(other);
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.attach(Integrations.class)))
                .isInstanceOf(MissingScopeException.class).hasMessageContaining("tx.attach(Integrations.class)");
    }

    private static void assertDenied(Actor actor, String permission, Consumer<Tx> work) {
        assertThatThrownBy(() -> sentinel.tenant(tenant, actor).useTransaction(work::accept))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining(permission);
    }
}
