package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.core.db.Tables.USERS;
import static dev.sentinel.core.testservice.db.Tables.CONTACTS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.support.DatabaseSearch;
import dev.sentinel.core.support.AuditTamper;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.ContactsRecord;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Erasure of a person (issue 28): after {@link Erasure#erase}, no personal value of theirs is left
 * anywhere in the database (a search of every text, varchar, char and jsonb column of every table
 * of every schema, as a superuser, so past row-level security), the sealed chain still verifies,
 * an edit of any remaining audit row is still caught, and the trail reads {@code "[erased]"} where
 * the values were. Bad input, and a runtime pool instead of the owner, get a typed exception and
 * write nothing.
 */
class ErasureTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Actor ADMIN = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-0000000ad111"));
    private static final Actor SALES = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000005a1e5"));
    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY).build();
    }

    @Test
    void noValueOfAnErasedContactIsLeftAnywhereAndTheChainStillVerifies() throws SQLException {
        UUID tenant = Tenants.create(sentinel);
        UUID other = Tenants.create(sentinel);
        // The person's values all carry a marker that nothing else in the database contains.
        UUID alice = insertContact(tenant, "Alice Zyxwert", "Alice.Zyxwert@Example.org", "+49 30 5550199");
        UUID bob = insertContact(tenant, "Bob Qarnelt", "bob.qarnelt@example.org", null);
        // Dozens of audit rows with her values: updates of her personal columns and of the others,
        // a multi-row insert, and a row of the same person's name in another tenant that stays.
        for (int i = 1; i <= 30; i++) {
            int n = i;
            sentinel.tenant(tenant, SALES).useTransaction(tx -> {
                ContactsRecord row = tx.table(CONTACTS).get(alice);
                row.setScore(n);
                if (n % 3 == 0) {
                    row.setEmail("alice.zyxwert+" + n + "@example.org");
                }
                if (n % 10 == 0) {
                    row.setPhone("+49 30 5550199-" + n);
                }
                if (n == 15) {
                    row.setName("Alice B. Zyxwert");
                }
                tx.table(CONTACTS).update(row);
            });
        }
        sentinel.tenant(tenant, SALES).useTransaction(tx -> tx.table(CONTACTS).insertAll(List.of(
                contact("Carla Vomrek", "carla@vomrek.example", null), contact("Dan Vomrek", null, "555 0100"))));
        UUID namesake = insertContact(other, "Alice Zyxwert", "alice.zyxwert@elsewhere.example", null);

        List<AuditEntry> before = trail(tenant, alice);
        assertThat(before).describedAs("her insert and 30 updates, read back with her values").hasSize(31)
                .anyMatch(entry -> entry.diff().contains("Alice.Zyxwert@Example.org"))
                .noneMatch(entry -> entry.diff().contains("sentinel:personal"));
        assertThat(foundAnywhere("zyxwert")).describedAs("before the erasure: in the live rows and the side table only,"
                + " never in an audit diff").containsOnlyKeys("public.contacts.name", "public.contacts.email",
                        "public.contacts.email_lower", "sentinel.audit_personal_values.committed");
        assertThat(sentinel.auditChain().seal(tenant)).isPositive();
        assertThat(sentinel.auditChain().verify(tenant).intact()).isTrue();

        ErasureReport report = Erasure.using(db.ownerDataSource()).erase(ErasureSubject.tenantRow(tenant, CONTACTS, alice), ADMIN);

        assertThat(report.table()).isEqualTo("public.contacts");
        assertThat(report.columns()).containsExactly("name", "email", "phone", "email_lower");
        assertThat(report.liveValues()).describedAs("name, email, phone and email_lower").isEqualTo(4);
        // 4 values at the insert; 10 e-mail changes of 4 (email and email_lower, old and new), 3 phone
        // changes of 2, 1 name change of 2; the erasure's own update: name old and new, and the old
        // email, phone and email_lower.
        assertThat(report.trailValues()).describedAs("every committed value of hers").isEqualTo(4 + 40 + 6 + 2 + 5);
        // Her values are nowhere: not in the live row, not in a diff, not in the side table, not in
        // the erasure's record; only her namesake of the other tenant, which is another person.
        assertThat(foundAnywhere("zyxwert")).describedAs("after the erasure, the other tenant's namesake only")
                .isEqualTo(Map.of("public.contacts.name", 1L, "public.contacts.email", 1L, "public.contacts.email_lower", 1L,
                        "sentinel.audit_personal_values.committed", 1L));
        assertThat(foundAnywhere("5550199")).isEmpty();
        String namesakeName = sentinel.tenant(other, SALES).inTransaction(tx -> tx.table(CONTACTS).get(namesake).getName());
        assertThat(namesakeName).isEqualTo("Alice Zyxwert");

        ContactsRecord erased = sentinel.tenant(tenant, SALES).inTransaction(tx -> tx.table(CONTACTS).get(alice));
        assertThat(erased.getName()).describedAs("NOT NULL: the placeholder").isEqualTo("erased." + alice + "@erased.invalid");
        assertThat(erased.getEmail()).isNull();
        assertThat(erased.getPhone()).isNull();
        assertThat(erased.getEmailLower()).isNull();
        assertThat(erased.getScore()).describedAs("columns that are not personal stay").isEqualTo(30);

        List<AuditEntry> after = trail(tenant, alice);
        assertThat(after).hasSize(32).allMatch(entry -> !entry.diff().contains("sentinel:personal"));
        assertThat(after.getLast().diff()).describedAs("her insert").contains("\"name\": {\"new\": \"[erased]\"}")
                .contains("\"score\": {\"new\": 0}");
        assertThat(after.getFirst().action()).describedAs("the erasure's own update").isEqualTo("update");
        assertThat(trail(tenant, bob).getFirst().diff()).describedAs("another person's trail is untouched")
                .contains("\"name\": {\"new\": \"Bob Qarnelt\"}");

        List<AuditEntry> records = sentinel.system(ADMIN).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().action("person.erase").entity("public.contacts", alice), 10).entries());
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.actorId()).isEqualTo(ADMIN.userId().orElseThrow());
            assertThat(record.id()).isEqualTo(report.recordId());
            assertThat(record.meta()).contains("\"tenant_id\": \"" + tenant + "\"").contains("\"live_values\": 4");
        });

        assertThat(sentinel.auditChain().seal(tenant)).describedAs("the erasure's update").isEqualTo(1);
        ChainVerification verification = sentinel.auditChain().verify(tenant);
        assertThat(verification.intact()).describedAs("the chain covers commitments, not values").isTrue();

        // An attacker who edits one of her remaining audit rows (here: puts a commitment of their
        // own into the diff) is still caught at that row.
        UUID edited = after.get(10).id();
        asAttacker("update sentinel.audit_log set diff = jsonb_set(diff, '{score,new}', '99') where id = '" + edited + "'");
        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(ChainVerification.Kind.EDITED);
            assertThat(problem.auditId()).isEqualTo(edited);
        });
    }

    /** The example of docs/concepts.md, "Erasure of a person", as it runs. */
    @Test
    void theDocumentedExampleErasesAContact() {
        DataSource ownerDataSource = db.ownerDataSource();
        UUID tenantId = Tenants.create(sentinel);
        UUID adminId = ADMIN.userId().orElseThrow();
        UUID contactId = insertContact(tenantId, "Fay Oberlin", "fay@oberlin.example", null);

        Erasure erasure = Erasure.using(ownerDataSource);
        ErasureReport report = erasure.erase(ErasureSubject.tenantRow(tenantId, CONTACTS, contactId), Actor.user(adminId));
        List<AuditEntry> trail = sentinel.tenant(tenantId, Actor.user(adminId)).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.contacts", contactId), 100).entries());

        assertThat(report.liveValues()).isEqualTo(3);
        assertThat(trail.getLast().diff()).contains("\"name\": {\"new\": \"[erased]\"}")
                .contains("\"email\": {\"new\": \"[erased]\"}").contains("\"stage\": {\"new\": \"new\"}");
    }

    @Test
    void aUserIsErasedFromTheSystemTrailAndFromEveryTenantsTrail() throws SQLException {
        UUID tenant = Tenants.create(sentinel);
        UUID user = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().create("carol.qwvbnt@example.org", "Carol Qwvbnt").id());
        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.users().rename(user, "Carol M. Qwvbnt"));
        // Invited into a tenant by address: the users row is found from the tenant's scope, and a
        // change made there goes to that tenant's trail.
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().invite("Carol.Qwvbnt@example.org", SeatType.PRO, null));
        assertThat(foundAnywhere("qwvbnt")).containsKeys("sentinel.users.email", "sentinel.system_audit_personal_values.committed")
                .doesNotContainKeys("sentinel.system_audit_log.diff", "sentinel.audit_log.diff");

        Erasure erasure = Erasure.using(db.ownerDataSource());
        ErasureReport report = erasure.erase(ErasureSubject.globalRow(USERS, user), ADMIN);

        assertThat(report.tenantId()).isNull();
        assertThat(report.columns()).containsExactly("email", "display_name");
        assertThat(foundAnywhere("qwvbnt")).describedAs("the address the invitation went to: the membership's")
                .containsOnlyKeys("sentinel.tenant_members.invited_email", "sentinel.audit_personal_values.committed");
        // The membership is a row of its own, found by the user's id in that tenant.
        ErasureReport membership = erasure.erase(ErasureSubject.tenantRow(tenant, TENANT_MEMBERS, user), ADMIN);
        assertThat(membership.columns()).containsExactly("invited_email");
        assertThat(foundAnywhere("qwvbnt")).isEmpty();
        List<AuditEntry> trail = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("users", user), 100).entries());
        assertThat(trail).filteredOn(entry -> entry.diff() != null && entry.diff().contains("display_name"))
                .isNotEmpty().allMatch(entry -> entry.diff().contains("[erased]"));
    }

    @Test
    void badInputGetsATypedExceptionAndWritesNothing() throws SQLException {
        UUID tenant = Tenants.create(sentinel);
        UUID other = Tenants.create(sentinel);
        UUID erin = insertContact(tenant, "Erin Plovdak", "erin@plovdak.example", "555 0142");
        UUID widget = sentinel.tenant(tenant, SALES).inTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("w")).getId());
        Erasure erasure = Erasure.using(db.ownerDataSource());
        String before = snapshot();

        assertNothingWritten(before, () -> erasure.erase(ErasureSubject.tenantRow(tenant, CONTACTS, UUID.randomUUID()), ADMIN),
                NotFoundException.class, "no row");
        assertNothingWritten(before, () -> erasure.erase(ErasureSubject.tenantRow(other, CONTACTS, erin), ADMIN),
                NotFoundException.class, "no row");
        assertNothingWritten(before, () -> erasure.erase(ErasureSubject.tenantRow(tenant, WIDGETS, widget), ADMIN),
                InvalidInputException.class, "has no sentinel:personal column");
        assertNothingWritten(before, () -> erasure.erase(ErasureSubject.globalRow(CONTACTS, erin), ADMIN),
                InvalidInputException.class, "is a tenant table");
        assertNothingWritten(before, () -> erasure.erase(ErasureSubject.tenantRow(tenant, USERS, erin), ADMIN),
                InvalidInputException.class, "is a global table");
        assertNothingWritten(before, () -> erasure.erase(null, ADMIN), InvalidInputException.class, "subject is null");
        assertNothingWritten(before, () -> erasure.erase(ErasureSubject.tenantRow(tenant, CONTACTS, erin), null),
                InvalidInputException.class, "requestedBy is null");
        assertThatThrownBy(() -> ErasureSubject.tenantRow(null, CONTACTS, erin)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ErasureSubject.globalRow(USERS, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Erasure.using(null)).isInstanceOf(InvalidInputException.class);

        // The runtime pools cannot erase: not through the entry class, and not by deleting the
        // side table's values themselves.
        for (DataSource pool : List.of(db.appDataSource(), db.systemDataSource())) {
            assertNothingWritten(before, () -> Erasure.using(pool).erase(ErasureSubject.tenantRow(tenant, CONTACTS, erin), ADMIN),
                    PermissionDeniedException.class, "owner role");
        }
        try (Connection app = db.appDataSource().getConnection(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            statement.execute("set local sentinel.tenant_id = '" + tenant + "'");
            assertThatThrownBy(() -> statement.execute("delete from sentinel.audit_personal_values"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            app.rollback();
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    private static void assertNothingWritten(String before, Runnable call, Class<? extends Exception> type, String message)
            throws SQLException {
        assertThatThrownBy(call::run).isInstanceOf(type).hasMessageContaining(message);
        assertThat(snapshot()).describedAs("nothing written by a refused erasure").isEqualTo(before);
    }

    /** Counts of the trails and side tables, and every contact's values: what a refused erasure must leave. */
    private static String snapshot() throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet row = statement.executeQuery("""
                        select (select count(*) from sentinel.audit_log) || '/' || (select count(*) from sentinel.system_audit_log)
                               || '/' || (select count(*) from sentinel.audit_personal_values)
                               || '/' || (select count(*) from sentinel.system_audit_personal_values)
                               || '/' || (select string_agg(concat_ws(',', id, name, email, phone), ';' order by id) from public.contacts)
                        """)) {
            row.next();
            return row.getString(1);
        }
    }

    private static UUID insertContact(UUID tenant, String name, String email, String phone) {
        return sentinel.tenant(tenant, SALES).inTransaction(tx -> tx.table(CONTACTS).insert(contact(name, email, phone)).getId());
    }

    private static ContactsRecord contact(String name, String email, String phone) {
        return new ContactsRecord().setName(name).setEmail(email).setPhone(phone);
    }

    /** A contact's audit rows as the trail reads them, newest first. */
    private static List<AuditEntry> trail(UUID tenant, UUID contact) {
        return sentinel.tenant(tenant, SALES).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.contacts", contact), 100).entries());
    }

    /** Where a text occurs in the whole database, past row-level security: see {@link DatabaseSearch}. */
    private static Map<String, Long> foundAnywhere(String text) throws SQLException {
        return DatabaseSearch.find(db.adminDataSource(), text);
    }

    /** The owner role with the append-only trigger off, as an attacker with that role could. */
    private static void asAttacker(String sql) throws SQLException {
        AuditTamper.run(db, sql);
    }
}
