package dev.sentinel.agency.contracts;

import static dev.sentinel.agency.db.Tables.CONTRACTS;
import static dev.sentinel.agency.db.Tables.CONTRACT_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.BodyFormat;
import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the database itself enforces, whatever the caller: a version never changes or disappears
 * (UPDATE, DELETE and TRUNCATE are refused for the application role through raw SQL and for the
 * owner too), versions are added only to drafts and numbered without gaps, a body's checksum must
 * match, and signature_status changes only along the state machine. Only purging the contract takes
 * its versions with it.
 */
class ContractImmutabilitySqlTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final String RESTRICT_VIOLATION = "23001";

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID otherTenant;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(2).build();
        tenant = Tenants.create(sentinel);
        otherTenant = Tenants.create(sentinel);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    static <T> T inTenant(UUID id, Function<Tx, T> work) {
        return sentinel.tenant(id, Tenants.SETUP).inTransaction(work::apply);
    }

    static <T> T in(Function<Tx, T> work) {
        return inTenant(tenant, work);
    }

    /** A contract with v1 and v2, in the given state (draft or sent). */
    static Contract contract(boolean sent) {
        return in((Tx tx) -> {
            UUID id = tx.attach(Contracts.class).create(NewContract.of("Raw SQL")).id();
            tx.attach(Contracts.class).addVersion(id, ContractContent.markdown("v1"), null);
            tx.attach(Contracts.class).addVersion(id, ContractContent.markdown("v2"), null);
            return sent ? tx.attach(Contracts.class).send(id, SignatureProvider.MANUAL, null, null) : tx.attach(Contracts.class).get(id);
        });
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int insertVersion(Tx tx, UUID contractId, int number, String body, byte[] sha) {
        return tx.dsl().insertInto(CONTRACT_VERSIONS)
                .set(CONTRACT_VERSIONS.TENANT_ID, tx.tenantId().orElseThrow())
                .set(CONTRACT_VERSIONS.ID, UUID.randomUUID())
                .set(CONTRACT_VERSIONS.CONTRACT_ID, contractId)
                .set(CONTRACT_VERSIONS.VERSION_NUMBER, number)
                .set(CONTRACT_VERSIONS.BODY, body)
                .set(CONTRACT_VERSIONS.BODY_FORMAT, BodyFormat.PLAIN)
                .set(CONTRACT_VERSIONS.CONTENT_SHA256, sha)
                .execute();
    }

    @Test
    void theApplicationRoleCannotUpdateOrDeleteAVersionThroughRawSql() {
        UUID id = contract(false).id();
        List<ContractVersion> before = in((Tx tx) -> tx.attach(Contracts.class).versions(id));

        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().update(CONTRACT_VERSIONS).set(CONTRACT_VERSIONS.CHANGE_NOTE, "sneaky")
                .where(CONTRACT_VERSIONS.CONTRACT_ID.eq(id).and(CONTRACT_VERSIONS.VERSION_NUMBER.eq(1))).execute()))
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> assertThat(e.table()).isEqualTo("contract_versions"))
                .hasMessageContaining("is immutable: UPDATE is not allowed");
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().execute("update agency.contract_versions set body = 'v1, edited',"
                + " content_sha256 = sha256(convert_to('v1, edited', 'UTF8')) where contract_id = ?", id)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.table()).isEqualTo(AgencyDatabase.triggerTable(db, "contract_versions")));
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().deleteFrom(CONTRACT_VERSIONS).where(CONTRACT_VERSIONS.CONTRACT_ID.eq(id))
                .execute()))
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> assertThat(e.table()).isEqualTo("contract_versions"))
                .hasMessageContaining("is immutable: DELETE is not allowed");

        assertThat(in((Tx tx) -> tx.attach(Contracts.class).versions(id))).isEqualTo(before);
    }

    @Test
    void evenTheOwnerCannotUpdateDeleteOrTruncateVersions() throws Exception {
        UUID id = contract(false).id();
        for (String sql : List.of(
                "update agency.contract_versions set change_note = 'owner' where contract_id = '" + id + "'",
                "delete from agency.contract_versions where contract_id = '" + id + "'",
                "truncate agency.contract_versions cascade")) {
            try (Connection owner = db.ownerDataSource().getConnection()) {
                owner.setAutoCommit(false);
                try (Statement statement = owner.createStatement()) {
                    statement.execute("set local sentinel.scope = 'system'");
                    assertThatThrownBy(() -> statement.execute(sql)).describedAs(sql)
                            .isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).isEqualTo(RESTRICT_VIOLATION))
                            .hasMessageContaining("is immutable");
                } finally {
                    owner.rollback();
                }
            }
        }
        assertThat(in((Tx tx) -> tx.attach(Contracts.class).versions(id))).hasSize(2);
    }

    @Test
    void rawInsertsMustContinueTheNumberingOfADraftWithAMatchingChecksum() {
        UUID draft = contract(false).id();
        UUID sent = contract(true).id();

        assertThatThrownBy(() -> in((Tx tx) -> insertVersion(tx, draft, 4, "v4", sha256("v4"))))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contract_versions_gap_free")))
                .hasMessageContaining("gets version 3 next, not 4");
        assertThatThrownBy(() -> in((Tx tx) -> insertVersion(tx, draft, 2, "v2 again", sha256("v2 again"))))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contract_versions_gap_free")));
        assertThatThrownBy(() -> in((Tx tx) -> insertVersion(tx, draft, 3, "v3", sha256("something else"))))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contract_versions_body_checksum")));
        assertThatThrownBy(() -> in((Tx tx) -> insertVersion(tx, sent, 3, "v3", sha256("v3"))))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contract_versions_draft_only")));
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().execute("insert into agency.contract_versions (tenant_id, id,"
                + " contract_id, version_number, body, body_format, document_ref, content_sha256) values (?, ?, ?, 3, 'x',"
                + " 'plain', 's3://x', sha256('x'))", tenant, UUID.randomUUID(), draft)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("contract_versions_content_check"));
        // Into another tenant's contract: the composite foreign key refuses it.
        UUID foreign = inTenant(otherTenant, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("Foreign")).id());
        assertThatThrownBy(() -> in((Tx tx) -> insertVersion(tx, foreign, 1, "mine", sha256("mine"))))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("contract_versions_contract_fkey"));

        assertThat(in((Tx tx) -> insertVersion(tx, draft, 3, "v3", sha256("v3")))).isEqualTo(1);
        assertThat(in((Tx tx) -> tx.attach(Contracts.class).versions(draft))).extracting(ContractVersion::versionNumber)
                .containsExactly(1, 2, 3);
    }

    @Test
    void signatureStatusFollowsTheMachineInRawSqlToo() {
        UUID draft = contract(false).id();
        UUID sent = contract(true).id();
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().execute("update agency.contracts set signature_status = 'signed',"
                + " signed_at = now(), signature_provider = 'manual', sent_version_number = 2, signed_version_number = 2"
                + " where id = ?", draft)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contracts_signature_transition")))
                .hasMessageContaining("cannot change from draft to signed");
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().update(CONTRACTS).set(CONTRACTS.SIGNATURE_ENVELOPE_ID, "swapped")
                .where(CONTRACTS.ID.eq(sent)).execute()))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contracts_signature_transition")));
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().execute("update agency.contracts set signature_status = 'sent',"
                + " signature_provider = 'manual', sent_version_number = 1 where id = ?", draft)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contracts_signature_transition")))
                .hasMessageContaining("newest version");
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().execute("update agency.contracts set signature_status = 'signed',"
                + " signed_at = now(), signed_version_number = 1 where id = ?", sent)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("contracts_signed_version_check"));

        // A legal move in raw SQL is fine, and signed is then final.
        in((Tx tx) -> tx.dsl().execute("update agency.contracts set signature_status = 'signed', signed_at = now(),"
                + " signed_version_number = 2 where id = ?", sent));
        assertThatThrownBy(() -> in((Tx tx) -> tx.dsl().execute("update agency.contracts set signature_status = 'draft',"
                + " signed_at = null, signed_version_number = null, signature_provider = null, sent_version_number = null"
                + " where id = ?", sent)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo(AgencyDatabase.relayedConstraint(db, "contracts_signature_transition")));
        assertThat(in((Tx tx) -> tx.attach(Contracts.class).get(sent)).signedVersionNumber()).isEqualTo(2);
        assertThat(in((Tx tx) -> ContractsTest.edit(tx, draft, c -> c.withTitle("Still editable"))).title())
                .isEqualTo("Still editable");
    }

    @Test
    void purgingAContractTakesItsVersionsWithIt() {
        Contract signed = contract(true);
        in((Tx tx) -> tx.attach(Contracts.class).markSigned(signed.id(), Instant.now()));
        sentinel.system(Tenants.SETUP).useTransaction((Tx tx) -> tx.table(CONTRACTS).purge(signed.id()));
        assertThat(in((Tx tx) -> tx.dsl().fetchCount(CONTRACT_VERSIONS, CONTRACT_VERSIONS.CONTRACT_ID.eq(signed.id()))))
                .isZero();
        assertThat(in((Tx tx) -> tx.attach(Contracts.class).find(signed.id()))).isEmpty();
    }
}
