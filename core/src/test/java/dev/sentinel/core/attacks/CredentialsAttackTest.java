package dev.sentinel.core.attacks;

import static dev.sentinel.core.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.MemberStatus;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.tables.records.UsersRecord;
import dev.sentinel.core.secrets.Secret;
import dev.sentinel.core.secrets.SecretKey;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.Sql;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack family "another tenant's credentials" (issue #23, item 1), played with raw SQL as the
 * application role in tenant A's scope, with the actor setting of A's administrator (who holds
 * {@code member:manage}), and through the Java API. B's administrator has a password hash and a
 * sealed TOTP seed; A must not reach either.
 */
class CredentialsAttackTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static Sentinel sentinel;
    private static UUID tenantA;
    private static UUID tenantB;
    private static UUID adminOfA;
    private static UUID adminOfB;

    @BeforeAll
    static void start() throws Exception {
        byte[] material = MessageDigest.getInstance("SHA-256").digest("credentials attack".getBytes(StandardCharsets.UTF_8));
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).secretKeys(SecretKeys.of(SecretKey.of("k1", material))).build();
        tenantA = Tenants.create(sentinel);
        tenantB = Tenants.create(sentinel);
        adminOfA = People.member(sentinel, tenantA, "Ann", "admin");
        adminOfB = People.member(sentinel, tenantB, "Gina", "admin");
        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            tx.users().setPasswordHash(adminOfB, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA");
            UsersRecord gina = tx.table(USERS).get(adminOfB);
            tx.table(USERS).update(gina.setMfaSecret(Secret.of("JBSWY3DPEHPK3PXP")));
        });
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void anInvitationWrittenByRawSqlDoesNotShowTheInvitedUser() throws SQLException {
        long seen = RawScope.tenant(tenantA).rollback(db.appDataSource(), connection -> {
            actAs(connection, adminOfA);
            Sql.update(connection, "insert into sentinel.tenant_members (tenant_id, user_id, role, status, joined_at)"
                    + " values (?, ?, 'guest', 'invited', null)", tenantA, adminOfB);
            return Sql.count(connection, "select count(*) from sentinel.users where id = ?", adminOfB);
        });

        assertThat(seen).describedAs("B's administrator seen from A after a raw invitation").isZero();
    }

    /**
     * An accepted member's row is visible to the tenant, but not their password hash or MFA seed:
     * since V25 the tenant pool's role has no SELECT on those columns, whatever SQL it sends.
     */
    @Test
    void anAcceptedMembersCredentialsAreOutOfReachOfTenantSql() {
        UUID member = People.member(sentinel, tenantA, "Mia", null);
        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.users().setPasswordHash(member, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$bWlh"));

        for (String query : List.of(
                "select password_hash from sentinel.users where id = ?",
                "select mfa_secret from sentinel.users where id = ?",
                "select count(*) from sentinel.users where id = ? and password_hash like '$argon2id$%'",
                "select * from sentinel.users where id = ?")) {
            SQLException refused = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE,
                    () -> RawScope.tenant(tenantA).rollback(db.appDataSource(), connection -> Sql.count(connection, query, member)));
            assertThat(refused.getMessage()).describedAs(query).contains("permission denied for table users");
        }
    }

    /** The look-ups that step into the system scope answer nothing about users the tenant does not relate to. */
    @Test
    void userLookUpsAnswerNothingAboutAnotherTenantsUsers() throws SQLException {
        UUID member = People.member(sentinel, tenantA, "Moe", null);
        List<Boolean> answers = RawScope.tenant(tenantA).rollback(db.appDataSource(), connection -> {
            actAs(connection, adminOfA);
            return List.of(exists(connection, adminOfB), exists(connection, UUID.randomUUID()), exists(connection, member),
                    exists(connection, adminOfA));
        });
        assertThat(answers).describedAs("user_exists for B's administrator, an unknown id, A's member, the actor")
                .containsExactly(false, false, true, true);

        UUID offered = UUID.randomUUID();
        UUID created = RawScope.tenant(tenantA).rollback(db.appDataSource(), connection -> {
            actAs(connection, adminOfA);
            return UUID.fromString(Sql.strings(connection, "select sentinel.find_or_create_user(?, ?, null)::text", offered,
                    "nobody-yet@example.com").getFirst());
        });
        assertThat(created).describedAs("a new address's user id is drawn by the database, not echoed back").isNotEqualTo(offered);
    }

    @Test
    void anotherUsersMembershipCannotBeMadeActiveByTheInviter() {
        SQLException inserted = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> RawScope.tenant(tenantA).rollback(db.appDataSource(),
                connection -> {
                    actAs(connection, adminOfA);
                    return Sql.update(connection, "insert into sentinel.tenant_members (tenant_id, user_id, role, status)"
                            + " values (?, ?, 'guest', 'active')", tenantA, adminOfB);
                }));
        assertThat(inserted.getMessage()).contains("active only by their own acceptance");

        SQLException accepted = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> RawScope.tenant(tenantA).rollback(db.appDataSource(),
                connection -> {
                    actAs(connection, adminOfA);
                    Sql.update(connection, "insert into sentinel.tenant_members (tenant_id, user_id, role, status, joined_at)"
                            + " values (?, ?, 'guest', 'invited', null)", tenantA, adminOfB);
                    return Sql.update(connection, "update sentinel.tenant_members set status = 'active', joined_at = now()"
                            + " where tenant_id = ? and user_id = ?", tenantA, adminOfB);
                }));
        assertThat(accepted.getMessage()).contains("active only by their own acceptance");
    }

    @Test
    void throughTheApiAnInvitedUserIsInvitedAndOnlyTheyAccept() {
        String address = "nick-" + UUID.randomUUID() + "@example.com";
        UUID newcomer = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().create(address, "Nick").id());
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(adminOfA)).useTransaction(tx ->
                tx.members().add(newcomer, SeatType.PRO, null)))
                .describedAs("adding, by id, a user the tenant does not know: the id says nothing about the account")
                .isInstanceOf(NotFoundException.class);

        var invited = sentinel.tenant(tenantA, Actor.user(adminOfA)).inTransaction(tx -> tx.members().invite(address, SeatType.PRO, null));
        assertThat(invited.userId()).isEqualTo(newcomer);
        assertThat(invited.status()).describedAs("invited by another user").isEqualTo(MemberStatus.INVITED);

        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(adminOfA)).useTransaction(tx -> tx.members().accept(newcomer)))
                .isInstanceOf(PermissionDeniedException.class);
        var accepted = sentinel.tenant(tenantA, Actor.user(newcomer)).inTransaction(tx -> tx.members().accept(newcomer));
        assertThat(accepted.status()).isEqualTo(MemberStatus.ACTIVE);
    }

    @Test
    void throughTheApiATenantReadsItsMembersButNotTheirCredentials() {
        UUID member = People.member(sentinel, tenantA, "Max", null);
        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            tx.users().setPasswordHash(member, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$bWF4");
            tx.table(USERS).update(tx.table(USERS).get(member).setMfaSecret(Secret.of("KRSXG5CTMVRXEZLU")));
        });

        UsersRecord inTenant = sentinel.tenant(tenantA, Actor.user(adminOfA)).inTransaction(tx -> tx.table(USERS).get(member));
        assertThat(inTenant.getDisplayName()).isEqualTo("Max");
        assertThat(inTenant.getPasswordHash()).describedAs("the password hash, read in a tenant scope").isNull();
        assertThat(inTenant.getMfaSecret()).describedAs("the MFA seed, read in a tenant scope").isNull();
        UsersRecord inSystem = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.table(USERS).get(member));
        assertThat(inSystem.getPasswordHash()).startsWith("$argon2id$");
        assertThat(inSystem.getMfaSecret().reveal()).isEqualTo("KRSXG5CTMVRXEZLU");
    }

    private static boolean exists(Connection connection, UUID user) throws SQLException {
        try (var statement = connection.prepareStatement("select sentinel.user_exists(?)")) {
            statement.setObject(1, user);
            try (var row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** Sets the actor as Sentinel would, so the attack carries a real administrator's rights. */
    private static void actAs(Connection connection, UUID user) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set local sentinel.actor_id = '" + user + "'");
        }
    }
}
