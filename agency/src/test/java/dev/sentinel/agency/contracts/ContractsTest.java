package dev.sentinel.agency.contracts;

import static dev.sentinel.agency.db.Tables.CLIENTS;
import static dev.sentinel.agency.db.Tables.CONTRACTS;
import static dev.sentinel.agency.db.Tables.CONTRACT_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.BodyFormat;
import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.db.enums.SignatureState;
import dev.sentinel.agency.db.tables.records.ClientsRecord;
import dev.sentinel.agency.projects.NewProject;
import dev.sentinel.agency.projects.Project;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.support.MutableClock;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contracts through the API, as the application role: versions (numbering, checksums, documents),
 * every transition of the e-signature state machine against every state, expiry, the audit entry of
 * each transition with its version, permissions and soft delete. Immutability through raw SQL is in
 * {@link ContractImmutabilitySqlTest}.
 */
class ContractsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final AtomicInteger ENVELOPES = new AtomicInteger();
    private static final MutableClock CLOCK = new MutableClock();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID admin;
    private static UUID staff;
    private static UUID viewer;
    private static UUID client;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4)
                .clock(CLOCK).build();
        tenant = Tenants.create(sentinel);
        admin = People.member(sentinel, tenant, "Ada Admin", "admin");
        staff = People.member(sentinel, tenant, "Sam Staff", "staff");
        viewer = People.member(sentinel, tenant, "Vic Viewer", "viewer");
        client = sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.table(CLIENTS).insert(new ClientsRecord().setName("Globex")).getId());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    static <T> T as(UUID user, Function<Tx, T> work) {
        return sentinel.tenant(tenant, Actor.user(user)).inTransaction(work::apply);
    }

    static Contract draft(String title) {
        return as(admin, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of(title).withClientId(client)));
    }

    /** Reads the contract and updates it with a change of its current terms. */
    static Contract edit(Tx tx, UUID id, UnaryOperator<ContractChange> change) {
        Contract contract = tx.attach(Contracts.class).get(id);
        return tx.attach(Contracts.class).update(id, contract.version(), change.apply(contract.change()));
    }

    static ContractVersion version(UUID contractId, String text) {
        return as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(contractId, ContractContent.markdown(text), null));
    }

    static String envelope() {
        return "env-" + ENVELOPES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    static Contract sent(UUID contractId) {
        return as(admin, (Tx tx) -> tx.attach(Contracts.class).send(contractId, SignatureProvider.DOCUSIGN, envelope(), null));
    }

    /** A contract with one version in the given state, reached through the API. */
    static Contract inState(SignatureState state) {
        UUID id = draft("In state " + state).id();
        version(id, "# Terms\n");
        if (state == SignatureState.DRAFT) {
            return as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id));
        }
        sent(id);
        return switch (state) {
            case SENT -> as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id));
            case SIGNED -> as(admin, (Tx tx) -> tx.attach(Contracts.class).markSigned(id, CLOCK.instant()));
            case DECLINED -> as(admin, (Tx tx) -> tx.attach(Contracts.class).markDeclined(id, "too expensive"));
            case VOIDED -> as(admin, (Tx tx) -> tx.attach(Contracts.class).voidRequest(id, "wrong signer"));
            case EXPIRED -> as(admin, (Tx tx) -> tx.attach(Contracts.class).markExpired(id));
            case DRAFT -> throw new AssertionError();
        };
    }

    static List<AuditEntry> transitions(UUID contractId) {
        return as(admin, (Tx tx) -> tx.audit().list(AuditFilter.all().entity("agency.contracts", contractId), 100).entries())
                .stream().filter(e -> e.action().startsWith("contract.")).toList();
    }

    static String meta(AuditEntry entry, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\"([^\"]*)\"").matcher(entry.meta());
        return m.find() ? m.group(1) : null;
    }

    static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs something that must fail and leave the contract row and its audit trail as they were. */
    static void refusedWithoutWrites(UUID contractId, Class<? extends Throwable> type, String message, ThrowingCallable call) {
        Contract before = as(admin, (Tx tx) -> tx.attach(Contracts.class).get(contractId));
        int versions = as(admin, (Tx tx) -> tx.attach(Contracts.class).versions(contractId).size());
        int auditRows = as(admin, (Tx tx) -> tx.audit().list(AuditFilter.all().entity("agency.contracts", contractId), 1000)
                .entries().size());
        assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(message);
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).get(contractId))).isEqualTo(before);
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).versions(contractId).size())).isEqualTo(versions);
        assertThat(as(admin, (Tx tx) -> tx.audit().list(AuditFilter.all().entity("agency.contracts", contractId), 1000)
                .entries().size())).isEqualTo(auditRows);
    }

    @Test
    void versionsAreNumberedWithoutGapsAndCarryTheChecksumOfTheirContent() throws Exception {
        UUID id = draft("Master services agreement").id();
        ContractVersion v1 = version(id, "# MSA\nVersion one.\n");
        String pdfSha = HexFormat.of().formatHex(sha256("the PDF's bytes"));
        ContractVersion v2 = as(staff, (Tx tx) -> tx.attach(Contracts.class).addVersion(id,
                ContractContent.document("s3://contracts/msa-v2.pdf", pdfSha.toUpperCase()), "payment terms"));
        ContractVersion v3 = as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(id,
                new ContractContent.Body("<p>Three</p>", BodyFormat.HTML), null));

        assertThat(List.of(v1, v2, v3)).extracting(ContractVersion::versionNumber).containsExactly(1, 2, 3);
        assertThat(v1.contentSha256Hex()).isEqualTo(HexFormat.of().formatHex(sha256("# MSA\nVersion one.\n")));
        assertThat(v1.bodyFormat()).isEqualTo(BodyFormat.MARKDOWN);
        assertThat(v2.body()).isNull();
        assertThat(v2.bodyFormat()).isNull();
        assertThat(v2.documentRef()).isEqualTo("s3://contracts/msa-v2.pdf");
        assertThat(v2.contentSha256Hex()).isEqualTo(pdfSha);
        assertThat(v2.changeNote()).isEqualTo("payment terms");
        assertThat(v2.createdBy()).isEqualTo(staff);
        assertThat(v3.bodyFormat()).isEqualTo(BodyFormat.HTML);

        Contract details = as(viewer, (Tx tx) -> tx.attach(Contracts.class).get(id));
        assertThat(details.versions()).extracting(ContractVersion::versionNumber).containsExactly(1, 2, 3);
        assertThat(details.versions().get(0).contentSha256Hex()).isEqualTo(v1.contentSha256Hex());
        assertThat(details.versions().get(0).body()).isEqualTo("# MSA\nVersion one.\n");
        assertThat(details.current()).get().extracting(ContractVersion::id).isEqualTo(v3.id());
        assertThat(details.signedVersion()).isEmpty();
        List<AuditEntry> versionRows = as(admin, (Tx tx) -> tx.audit().list(AuditFilter.all().entity("agency.contract_versions",
                v2.id()), 10).entries());
        assertThat(versionRows).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("insert");
            assertThat(e.actorId()).isEqualTo(staff);
        });
    }

    @Test
    void contentIsValidatedBeforeAnythingIsWritten() {
        UUID id = draft("Validated").id();
        refusedWithoutWrites(id, InvalidInputException.class, "64 hexadecimal digits",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(id, ContractContent.document("s3://x.pdf", "abc"), null)));
        refusedWithoutWrites(id, InvalidInputException.class, "not be blank",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(id, ContractContent.markdown("  "), null)));
        refusedWithoutWrites(id, InvalidInputException.class, "content is required",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(id, null, null)));
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(UUID.randomUUID(),
                ContractContent.markdown("x"), null))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aNewContractIsAValidatedDraft() {
        UUID deletedProject = as(admin, (Tx tx) -> {
            Project p = tx.attach(Projects.class).create(NewProject.of("gone-" + System.nanoTime(), "Gone"));
            return tx.attach(Projects.class).softDelete(p.id(), "test").id();
        });
        long before = as(admin, (Tx tx) -> (long) tx.dsl().fetchCount(CONTRACTS));
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of(" "))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("title");
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("Who?")
                .withClientId(UUID.randomUUID())))).isInstanceOf(InvalidInputException.class).hasMessageContaining("no live client");
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("Where?")
                .withProjectId(deletedProject)))).isInstanceOf(InvalidInputException.class).hasMessageContaining("no live project");
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("When?")
                .withTerm(LocalDate.of(2026, 5, 1), LocalDate.of(2026, 4, 1)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is before starts_on");
        assertThatThrownBy(() -> as(viewer, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("Viewer's"))))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("contract:write");
        assertThat(as(admin, (Tx tx) -> (long) tx.dsl().fetchCount(CONTRACTS))).isEqualTo(before);

        Contract created = draft("Plain");
        assertThat(created.signatureStatus()).isEqualTo(SignatureState.DRAFT);
        assertThat(created.sentVersionNumber()).isNull();
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.attach(Contracts.class)))
                .isInstanceOf(MissingScopeException.class);
    }

    @Test
    void sendingRecordsProviderEnvelopeAndTheNewestVersionAndSigningRecordsTheVersionSigned() {
        UUID id = draft("Happy path").id();
        version(id, "v1");
        version(id, "v2");
        String envelope = envelope();
        Instant expires = CLOCK.instant().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.MICROS);
        Contract sent = as(staff, (Tx tx) -> tx.attach(Contracts.class).send(id, SignatureProvider.DOCUSIGN, envelope, expires));

        assertThat(sent.signatureStatus()).isEqualTo(SignatureState.SENT);
        assertThat(sent.signatureProvider()).isEqualTo(SignatureProvider.DOCUSIGN);
        assertThat(sent.signatureEnvelopeId()).isEqualTo(envelope);
        assertThat(sent.sentVersionNumber()).isEqualTo(2);
        assertThat(sent.signatureExpiresAt()).isEqualTo(expires);
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).byEnvelope(SignatureProvider.DOCUSIGN, envelope)))
                .get().extracting(Contract::id).isEqualTo(id);
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).byEnvelope(SignatureProvider.HELLOSIGN, envelope))).isEmpty();

        Instant signedAt = CLOCK.instant().minusSeconds(30).truncatedTo(ChronoUnit.MICROS);
        Contract signed = as(admin, (Tx tx) -> tx.attach(Contracts.class).markSigned(id, signedAt));
        assertThat(signed.signatureStatus()).isEqualTo(SignatureState.SIGNED);
        assertThat(signed.signedVersionNumber()).isEqualTo(2);
        assertThat(signed.signedAt()).isEqualTo(signedAt);
        assertThat(signed.version()).isEqualTo(2);
        Contract details = as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id));
        assertThat(details.signedVersion()).get().extracting(ContractVersion::body).isEqualTo("v2");

        List<AuditEntry> trail = transitions(id);
        assertThat(trail).extracting(AuditEntry::action).containsExactly("contract.sign", "contract.send");
        assertThat(trail).allSatisfy(e -> assertThat(meta(e, "version")).isEqualTo("2"));
        assertThat(meta(trail.get(1), "envelope_id")).isEqualTo(envelope);
        assertThat(meta(trail.get(1), "from")).isEqualTo("draft");
        assertThat(meta(trail.get(0), "to")).isEqualTo("signed");
        assertThat(trail.get(1).actorId()).isEqualTo(staff);

        // Signed is final.
        refusedWithoutWrites(id, InvalidStateTransitionException.class, "final",
                () -> as(admin, (Tx tx) -> edit(tx, id, c -> c.withTitle("Amended"))));
        refusedWithoutWrites(id, InvalidStateTransitionException.class, "final",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).addVersion(id, ContractContent.markdown("v3"), null)));
    }

    /** Every operation against every state: allowed exactly along the machine, otherwise refused with nothing written. */
    @Test
    void everyTransitionIsAllowedExactlyAlongTheMachine() {
        record Operation(String name, SignatureState to, Function<UUID, Function<Tx, Object>> call) {
        }
        List<Operation> operations = List.of(
                new Operation("send", SignatureState.SENT,
                        id -> tx -> tx.attach(Contracts.class).send(id, SignatureProvider.MANUAL, null, null)),
                new Operation("markSigned", SignatureState.SIGNED, id -> tx -> tx.attach(Contracts.class).markSigned(id, CLOCK.instant())),
                new Operation("markDeclined", SignatureState.DECLINED, id -> tx -> tx.attach(Contracts.class).markDeclined(id, null)),
                new Operation("voidRequest", SignatureState.VOIDED, id -> tx -> tx.attach(Contracts.class).voidRequest(id, null)),
                new Operation("markExpired", SignatureState.EXPIRED, id -> tx -> tx.attach(Contracts.class).markExpired(id)),
                new Operation("reopen", SignatureState.DRAFT, id -> tx -> tx.attach(Contracts.class).reopen(id)),
                new Operation("addVersion", null, id -> tx -> tx.attach(Contracts.class).addVersion(id, ContractContent.markdown("more"), null)));
        Map<SignatureState, Set<String>> allowed = Map.of(
                SignatureState.DRAFT, Set.of("send", "addVersion"),
                SignatureState.SENT, Set.of("markSigned", "markDeclined", "voidRequest", "markExpired"),
                SignatureState.SIGNED, Set.of(),
                SignatureState.DECLINED, Set.of("reopen"),
                SignatureState.VOIDED, Set.of("reopen"),
                SignatureState.EXPIRED, Set.of("reopen"));
        for (SignatureState state : SignatureState.values()) {
            for (Operation operation : operations) {
                UUID id = inState(state).id();
                if (allowed.get(state).contains(operation.name())) {
                    as(admin, operation.call().apply(id));
                    SignatureState after = as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id)).signatureStatus();
                    assertThat(after).describedAs("%s from %s", operation.name(), state)
                            .isEqualTo(operation.to() == null ? state : operation.to());
                } else {
                    refusedWithoutWrites(id, InvalidStateTransitionException.class, "is " + state.literal(),
                            () -> as(admin, operation.call().apply(id)));
                }
            }
        }
    }

    @Test
    void reopeningClearsTheRequestAndANewVersionCanBeSentAndSigned() {
        UUID id = inState(SignatureState.DECLINED).id();
        String firstEnvelope = as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id)).signatureEnvelopeId();
        Contract reopened = as(staff, (Tx tx) -> tx.attach(Contracts.class).reopen(id));
        assertThat(reopened.signatureStatus()).isEqualTo(SignatureState.DRAFT);
        assertThat(reopened.signatureProvider()).isNull();
        assertThat(reopened.signatureEnvelopeId()).isNull();
        assertThat(reopened.sentVersionNumber()).isNull();
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).byEnvelope(SignatureProvider.DOCUSIGN, firstEnvelope))).isEmpty();

        ContractVersion v1 = as(admin, (Tx tx) -> tx.attach(Contracts.class).versions(id)).get(0);
        version(id, "# Terms\nRevised.\n");
        sent(id);
        as(admin, (Tx tx) -> tx.attach(Contracts.class).markSigned(id, CLOCK.instant()));

        Contract details = as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id));
        assertThat(details.signedVersionNumber()).isEqualTo(2);
        assertThat(details.versions().get(0)).describedAs("v1 is exactly as it was").isEqualTo(v1);
        List<AuditEntry> trail = transitions(id);
        assertThat(trail).extracting(AuditEntry::action)
                .containsExactly("contract.sign", "contract.send", "contract.reopen", "contract.decline", "contract.send");
        assertThat(trail).extracting(e -> meta(e, "version")).containsExactly("2", "2", "1", "1", "1");
        assertThat(meta(trail.get(2), "envelope_id")).isEqualTo(firstEnvelope);
        assertThat(meta(trail.get(3), "reason")).isEqualTo("too expensive");
    }

    @Test
    void sendingNeedsAVersionAnEnvelopeForDocuSignAFutureExpiryAndAnUnusedEnvelope() {
        UUID empty = draft("Empty").id();
        refusedWithoutWrites(empty, InvalidStateTransitionException.class, "has no version",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).send(empty, SignatureProvider.MANUAL, null, null)));
        version(empty, "text");
        refusedWithoutWrites(empty, InvalidInputException.class, "needs its envelope id",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).send(empty, SignatureProvider.DOCUSIGN, null, null)));
        refusedWithoutWrites(empty, InvalidInputException.class, "is not in the future",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).send(empty, SignatureProvider.MANUAL, null, CLOCK.instant())));
        String taken = sent(inState(SignatureState.DRAFT).id()).signatureEnvelopeId();
        refusedWithoutWrites(empty, UniqueViolationException.class, "contracts_envelope_key",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).send(empty, SignatureProvider.DOCUSIGN, taken, null)));
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).send(empty, SignatureProvider.MANUAL, null, null)).signatureStatus())
                .isEqualTo(SignatureState.SENT);
    }

    @Test
    void aRequestExpiresByTheClockAndCannotBeSignedAfterItsExpiry() {
        UUID expiring = draft("Expiring").id();
        version(expiring, "text");
        Instant expiry = CLOCK.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        as(admin, (Tx tx) -> tx.attach(Contracts.class).send(expiring, SignatureProvider.HELLOSIGN, envelope(), expiry));
        UUID open = sent(inState(SignatureState.DRAFT).id()).id();

        refusedWithoutWrites(expiring, InvalidInputException.class, "in the future",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).markSigned(expiring, CLOCK.instant().plus(Duration.ofHours(2)))));
        CLOCK.advance(Duration.ofHours(2));
        try {
            refusedWithoutWrites(expiring, InvalidStateTransitionException.class, "expired at",
                    () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).markSigned(expiring, CLOCK.instant())));
            assertThatThrownBy(() -> as(staff, (Tx tx) -> tx.attach(Contracts.class).expireOverdue()))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("contract:sign");

            List<Contract> expired = as(admin, (Tx tx) -> tx.attach(Contracts.class).expireOverdue());
            assertThat(expired).extracting(Contract::id).containsExactly(expiring);
            assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).get(open)).signatureStatus()).isEqualTo(SignatureState.SENT);
            assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).expireOverdue())).isEmpty();
            assertThat(transitions(expiring)).first().satisfies(e -> {
                assertThat(e.action()).isEqualTo("contract.expire");
                assertThat(meta(e, "version")).isEqualTo("1");
                assertThat(meta(e, "overdue_since")).isEqualTo(expiry.toString());
            });
        } finally {
            CLOCK.advance(Duration.ofHours(-2));
        }
    }

    @Test
    void aContractOutForSignatureIsNotDeletedAndADeletedOneIsHidden() {
        UUID id = inState(SignatureState.SENT).id();
        refusedWithoutWrites(id, InvalidStateTransitionException.class, "void the request",
                () -> as(admin, (Tx tx) -> tx.attach(Contracts.class).softDelete(id, "mistake")));
        as(admin, (Tx tx) -> tx.attach(Contracts.class).voidRequest(id, "mistake"));
        refusedWithoutWrites(id, PermissionDeniedException.class, "contract:delete",
                () -> as(staff, (Tx tx) -> tx.attach(Contracts.class).softDelete(id, "mistake")));
        as(admin, (Tx tx) -> tx.attach(Contracts.class).softDelete(id, "mistake"));
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).find(id))).isEmpty();
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).list(SignatureState.VOIDED, PageRequest.first(1000)).items()))
                .extracting(Contract::id).doesNotContain(id);
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).reopen(id))).isInstanceOf(NotFoundException.class);
        as(admin, (Tx tx) -> tx.attach(Contracts.class).restore(id));
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).list(SignatureState.VOIDED, PageRequest.first(1000)).items()))
                .extracting(Contract::id).contains(id);
    }

    @Test
    void staffWritesAndSendsButOnlyAdminsRecordOutcomesAndAProjectGrantCountsForItsContracts() {
        UUID id = draft("Permissions").id();
        as(staff, (Tx tx) -> tx.attach(Contracts.class).addVersion(id, ContractContent.markdown("by staff"), null));
        as(staff, (Tx tx) -> tx.attach(Contracts.class).send(id, SignatureProvider.MANUAL, null, null));
        refusedWithoutWrites(id, PermissionDeniedException.class, "contract:sign",
                () -> as(staff, (Tx tx) -> tx.attach(Contracts.class).markSigned(id, CLOCK.instant())));
        refusedWithoutWrites(id, PermissionDeniedException.class, "contract:send",
                () -> as(viewer, (Tx tx) -> tx.attach(Contracts.class).voidRequest(id, null)));
        as(staff, (Tx tx) -> tx.attach(Contracts.class).voidRequest(id, null));

        UUID lead = People.member(sentinel, tenant, "Liz Lead", null);
        UUID project = as(admin, (Tx tx) -> tx.attach(Projects.class).create(NewProject.of("c-" + System.nanoTime(),
                "Contracted"))).id();
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.roles().assign(lead, "admin", Projects.resource(project)));
        Contract ofProject = as(lead, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("Project's")
                .withProjectId(project)));
        as(lead, (Tx tx) -> tx.attach(Contracts.class).addVersion(ofProject.id(), ContractContent.markdown("x"), null));
        refusedWithoutWrites(id, PermissionDeniedException.class, "contract:send",
                () -> as(lead, (Tx tx) -> tx.attach(Contracts.class).reopen(id)));
        assertThatThrownBy(() -> as(lead, (Tx tx) -> tx.attach(Contracts.class).create(NewContract.of("Tenant-wide"))))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void updatingChangesTermsWithOptimisticLockingButNeverTheSignatureFields() {
        UUID id = draft("Terms").id();
        Contract updated = as(staff, (Tx tx) -> edit(tx, id, c -> c.withTitle("Terms, revised")
                .withTerm(LocalDate.of(2026, 1, 1), null)));
        assertThat(updated.title()).isEqualTo("Terms, revised");
        refusedWithoutWrites(id, InvalidInputException.class, "no live client",
                () -> as(admin, (Tx tx) -> edit(tx, id, c -> c.withClientId(UUID.randomUUID()))));
        Contract stale = as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id));
        as(admin, (Tx tx) -> edit(tx, id, c -> c.withTitle("First")));
        assertThatThrownBy(() -> as(admin, (Tx tx) -> tx.attach(Contracts.class).update(id, stale.version(),
                stale.change().withTitle("Second"))))
                .isInstanceOf(dev.sentinel.core.StaleRecordException.class);
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).get(id).title())).isEqualTo("First");
        assertThat(as(admin, (Tx tx) -> tx.attach(Contracts.class).versions(id))).isEmpty();
        assertThat(as(admin, (Tx tx) -> tx.dsl().fetchCount(CONTRACT_VERSIONS, CONTRACT_VERSIONS.CONTRACT_ID.eq(id))))
                .isZero();
    }
}
