package dev.sentinel.agency.internal.contracts;

import static dev.sentinel.agency.db.Tables.CLIENTS;
import static dev.sentinel.agency.db.Tables.CONTRACTS;
import static dev.sentinel.agency.db.Tables.CONTRACT_VERSIONS;
import static dev.sentinel.agency.db.Tables.PROJECTS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectFrom;

import dev.sentinel.agency.contracts.Contract;
import dev.sentinel.agency.contracts.ContractChange;
import dev.sentinel.agency.contracts.ContractContent;
import dev.sentinel.agency.contracts.ContractVersion;
import dev.sentinel.agency.contracts.Contracts;
import dev.sentinel.agency.contracts.NewContract;
import dev.sentinel.agency.contracts.Signatures;
import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.db.enums.SignatureState;
import dev.sentinel.agency.db.tables.records.ContractVersionsRecord;
import dev.sentinel.agency.db.tables.records.ContractsRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Result;
import org.jooq.impl.DSL;

/**
 * {@link Contracts} on one transaction of a tenant. Every transition locks the contract row
 * ({@code FOR UPDATE}), checks the permission and the state, then updates the row and writes the
 * audit entry; the database's trigger checks the same machine again, for raw SQL.
 */
public final class ContractsImpl implements Contracts {

    /** How far a provider's signing time may lie ahead of the service's tx.clock(). */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final int MAX_NOTE = 2000;
    private static final int MAX_ENVELOPE = 200;

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the contracts to a transaction.
     *
     * @param tx the transaction, in a tenant scope
     */
    public ContractsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(Contracts.class)");
    }

    private Repository<ContractsRecord> repository() {
        return tx.table(CONTRACTS);
    }

    @Override
    public Contract create(NewContract contract) {
        String op = "create contract";
        Checks.required(contract, op, "contract");
        Checks.authorize(tx, "contract:write", contract.projectId());
        requireLive(op, contract.clientId(), contract.projectId());
        ContractsRecord row = new ContractsRecord().setTitle(contract.title()).setClientId(contract.clientId())
                .setProjectId(contract.projectId()).setStartsOn(contract.startsOn()).setEndsOn(contract.endsOn());
        return contract(repository().insert(row), List.of());
    }

    @Override
    public Contract update(UUID contractId, int expectedVersion, ContractChange change) {
        String op = "update contract";
        Checks.required(contractId, op, "contractId");
        Checks.required(change, op, "change (start from Contract.change())");
        ContractsRecord current = repository().get(contractId);
        Checks.authorize(tx, "contract:write", current.getProjectId());
        boolean projectChanged = !Objects.equals(change.projectId(), current.getProjectId());
        if (projectChanged && change.projectId() != null) {
            Checks.authorize(tx, "contract:write", change.projectId());
        }
        if (current.getVersion() != expectedVersion) {
            throw new StaleRecordException(op + ": contract " + contractId + " is at version " + current.getVersion()
                    + ", not " + expectedVersion + "; read it again and reapply the change");
        }
        if (state(current) == SignatureState.SIGNED) {
            throw new InvalidStateTransitionException(op + " " + contractId + ": the contract is signed, and a signed contract is"
                    + " final; create a new contract for an amendment");
        }
        requireLive(op, Objects.equals(change.clientId(), current.getClientId()) ? null : change.clientId(),
                projectChanged ? change.projectId() : null);
        current.setTitle(change.title()).setClientId(change.clientId()).setProjectId(change.projectId())
                .setStartsOn(change.startsOn()).setEndsOn(change.endsOn());
        return withVersions(repository().update(current));
    }

    @Override
    public ContractVersion addVersion(UUID contractId, ContractContent content, String changeNote) {
        String op = "addVersion";
        Checks.required(content, op, "content");
        if (changeNote != null && changeNote.length() > MAX_NOTE) {
            throw new InvalidInputException(op + ": changeNote is longer than " + MAX_NOTE + " characters");
        }
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, "contract:write", contract.getProjectId());
        SignatureState state = state(contract);
        if (state != SignatureState.DRAFT) {
            throw new InvalidStateTransitionException(op + ": contract " + contractId + " is " + state.literal()
                    + "; versions are added only to a draft. " + hint(state));
        }
        var v = CONTRACT_VERSIONS;
        // Read first rather than a subquery in the VALUES, which Citus refuses; the contract is locked,
        // so no concurrent version takes the number.
        int next = tx.dsl().select(coalesce(max(v.VERSION_NUMBER), 0).plus(1)).from(v)
                .where(v.TENANT_ID.eq(tenant).and(v.CONTRACT_ID.eq(contractId)))
                .fetchSingle().value1();
        var insert = tx.dsl().insertInto(v)
                .set(v.TENANT_ID, tenant)
                .set(v.ID, Ids.next())
                .set(v.CONTRACT_ID, contractId)
                .set(v.VERSION_NUMBER, next)
                .set(v.CHANGE_NOTE, changeNote)
                .set(v.CREATED_BY, tx.actor().userId().orElse(null))
                .set(v.CREATED_AT, tx.now());
        var withContent = switch (content) {
            case ContractContent.Body body -> insert.set(v.BODY, body.text()).set(v.BODY_FORMAT, body.format())
                    .set(v.CONTENT_SHA256, sha256(body.text()));
            case ContractContent.Document document -> insert.set(v.DOCUMENT_REF, document.reference())
                    .set(v.CONTENT_SHA256, document.sha256());
        };
        return version(withContent.returning().fetchOne());
    }

    @Override
    public Contract send(UUID contractId, SignatureProvider provider, String envelopeId, Instant expiresAt) {
        String op = "send";
        Checks.required(provider, op, "provider");
        if (envelopeId == null && Signatures.needsEnvelopeId(provider)) {
            throw new InvalidInputException(op + ": a request through " + provider.literal() + " needs its envelope id");
        }
        Checks.optionalText(envelopeId, op, "envelopeId", MAX_ENVELOPE);
        if (expiresAt != null && !expiresAt.isAfter(tx.clock().instant())) {
            throw new InvalidInputException(op + ": expiresAt " + expiresAt + " is not in the future");
        }
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, "contract:send", contract.getProjectId());
        require(contract, SignatureState.SENT, op);
        Integer newest = tx.dsl().select(max(CONTRACT_VERSIONS.VERSION_NUMBER)).from(CONTRACT_VERSIONS)
                .where(CONTRACT_VERSIONS.TENANT_ID.eq(tenant).and(CONTRACT_VERSIONS.CONTRACT_ID.eq(contractId)))
                .fetchOne(0, Integer.class);
        if (newest == null) {
            throw new InvalidStateTransitionException(op + ": contract " + contractId + " has no version to sign;"
                    + " add one with addVersion first");
        }
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(CONTRACTS.SIGNATURE_PROVIDER, provider.literal());
        values.put(CONTRACTS.SIGNATURE_ENVELOPE_ID, envelopeId);
        values.put(CONTRACTS.SENT_VERSION_NUMBER, newest);
        values.put(CONTRACTS.SIGNATURE_EXPIRES_AT, Checks.utc(expiresAt));
        ContractsRecord sent = apply(contract, SignatureState.SENT, values);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("provider", provider.literal());
        if (envelopeId != null) {
            meta.put("envelope_id", envelopeId);
        }
        if (expiresAt != null) {
            meta.put("expires_at", expiresAt.toString());
        }
        audit(contract, sent, "contract.send", meta);
        return withVersions(sent);
    }

    @Override
    public Contract markSigned(UUID contractId, Instant signedAt) {
        String op = "markSigned";
        Checks.required(signedAt, op, "signedAt");
        if (signedAt.isAfter(tx.clock().instant().plus(CLOCK_SKEW))) {
            throw new InvalidInputException(op + ": signedAt " + signedAt + " is in the future");
        }
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, "contract:sign", contract.getProjectId());
        require(contract, SignatureState.SIGNED, op);
        OffsetDateTime expiry = contract.getSignatureExpiresAt();
        if (expiry != null && signedAt.isAfter(expiry.toInstant())) {
            throw new InvalidStateTransitionException(op + ": contract " + contractId + "'s signature request expired at "
                    + expiry.toInstant() + ", before the signature at " + signedAt + "; markExpired, then reopen and send again");
        }
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(CONTRACTS.SIGNED_AT, Checks.utc(signedAt));
        values.put(CONTRACTS.SIGNED_VERSION_NUMBER, contract.getSentVersionNumber());
        ContractsRecord signed = apply(contract, SignatureState.SIGNED, values);
        audit(contract, signed, "contract.sign", Map.of("signed_at", signedAt.toString()));
        return withVersions(signed);
    }

    @Override
    public Contract markDeclined(UUID contractId, String reason) {
        return outcome(contractId, SignatureState.DECLINED, "markDeclined", "contract:sign", "contract.decline", reason);
    }

    @Override
    public Contract voidRequest(UUID contractId, String reason) {
        return outcome(contractId, SignatureState.VOIDED, "voidRequest", "contract:send", "contract.void", reason);
    }

    @Override
    public Contract markExpired(UUID contractId) {
        return outcome(contractId, SignatureState.EXPIRED, "markExpired", "contract:sign", "contract.expire", null);
    }

    private Contract outcome(UUID contractId, SignatureState to, String op, String permission, String action,
            String reason) {
        if (reason != null && reason.length() > MAX_NOTE) {
            throw new InvalidInputException(op + ": reason is longer than " + MAX_NOTE + " characters");
        }
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, permission, contract.getProjectId());
        require(contract, to, op);
        ContractsRecord changed = apply(contract, to, Map.of());
        audit(contract, changed, action, reason == null ? Map.of() : Map.of("reason", reason));
        return withVersions(changed);
    }

    @Override
    public List<Contract> expireOverdue() {
        Checks.authorize(tx, "contract:sign", null);
        Result<ContractsRecord> overdue = tx.dsl().selectFrom(CONTRACTS)
                .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.DELETED_AT.isNull())
                        .and(CONTRACTS.SIGNATURE_STATUS.eq(SignatureState.SENT))
                        .and(CONTRACTS.SIGNATURE_EXPIRES_AT.le(tx.now())))
                .orderBy(CONTRACTS.ID)
                .forUpdate()
                .fetch();
        for (ContractsRecord contract : overdue) {
            Checks.authorize(tx, "contract:sign", contract.getProjectId());
        }
        List<UUID> expired = new ArrayList<>();
        for (ContractsRecord contract : overdue) {
            ContractsRecord changed = apply(contract, SignatureState.EXPIRED, Map.of());
            audit(contract, changed, "contract.expire", Map.of("overdue_since", contract.getSignatureExpiresAt().toInstant().toString()));
            expired.add(changed.getId());
        }
        return expired.isEmpty() ? List.of() : read(CONTRACTS.ID.in(expired));
    }

    @Override
    public Contract reopen(UUID contractId) {
        String op = "reopen";
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, "contract:send", contract.getProjectId());
        require(contract, SignatureState.DRAFT, op);
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(CONTRACTS.SIGNATURE_PROVIDER, null);
        values.put(CONTRACTS.SIGNATURE_ENVELOPE_ID, null);
        values.put(CONTRACTS.SENT_VERSION_NUMBER, null);
        values.put(CONTRACTS.SIGNATURE_EXPIRES_AT, null);
        ContractsRecord reopened = apply(contract, SignatureState.DRAFT, values);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("provider", contract.getSignatureProvider() == null ? null : contract.getSignatureProvider().literal());
        if (contract.getSignatureEnvelopeId() != null) {
            meta.put("envelope_id", contract.getSignatureEnvelopeId());
        }
        audit(contract, reopened, "contract.reopen", meta);
        return withVersions(reopened);
    }

    @Override
    public Contract softDelete(UUID contractId, String reason) {
        String op = "softDelete contract";
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, "contract:delete", contract.getProjectId());
        if (state(contract) == SignatureState.SENT) {
            throw new InvalidStateTransitionException(op + ": contract " + contractId + " is out for signature;"
                    + " void the request (voidRequest) first");
        }
        return withVersions(repository().softDelete(contractId, reason));
    }

    @Override
    public Contract restore(UUID contractId) {
        Checks.required(contractId, "restore contract", "contractId");
        ContractsRecord contract = repository().withDeleted().get(contractId);
        Checks.authorize(tx, "contract:delete", contract.getProjectId());
        return withVersions(repository().restore(contractId));
    }

    @Override
    public Optional<Contract> find(UUID contractId) {
        Checks.required(contractId, "find contract", "contractId");
        return read(CONTRACTS.ID.eq(contractId)).stream().findFirst();
    }

    /** One statement: the contract row and its versions as a MULTISET (nested JSON that jOOQ maps back). */
    @Override
    public Contract get(UUID contractId) {
        Checks.required(contractId, "get contract", "contractId");
        return read(CONTRACTS.ID.eq(contractId)).stream().findFirst().orElseThrow(() ->
                new NotFoundException("get contract: no live contract " + contractId + " in tenant " + tenant));
    }

    @Override
    public Optional<Contract> byEnvelope(SignatureProvider provider, String envelopeId) {
        Checks.required(provider, "byEnvelope", "provider");
        Checks.required(envelopeId, "byEnvelope", "envelopeId");
        return read(CONTRACTS.SIGNATURE_PROVIDER.eq(provider).and(CONTRACTS.SIGNATURE_ENVELOPE_ID.eq(envelopeId)))
                .stream().findFirst();
    }

    @Override
    public Page<Contract> list(SignatureState state, PageRequest page) {
        Page<ContractsRecord> rows = repository().list(state == null ? DSL.noCondition() : CONTRACTS.SIGNATURE_STATUS.eq(state), page);
        List<UUID> ids = rows.items().stream().map(ContractsRecord::getId).toList();
        Map<UUID, List<ContractVersion>> versions = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            for (ContractVersionsRecord v : tx.dsl().selectFrom(CONTRACT_VERSIONS)
                    .where(CONTRACT_VERSIONS.TENANT_ID.eq(tenant).and(CONTRACT_VERSIONS.CONTRACT_ID.in(ids)))
                    .orderBy(CONTRACT_VERSIONS.CONTRACT_ID, CONTRACT_VERSIONS.VERSION_NUMBER)
                    .fetch()) {
                versions.computeIfAbsent(v.getContractId(), id -> new ArrayList<>()).add(version(v));
            }
        }
        return new Page<>(rows.items().stream().map(r -> contract(r, versions.getOrDefault(r.getId(), List.of()))).toList(),
                rows.next());
    }

    @Override
    public List<ContractVersion> versions(UUID contractId) {
        Checks.required(contractId, "versions", "contractId");
        return tx.dsl().selectFrom(CONTRACT_VERSIONS)
                .where(CONTRACT_VERSIONS.TENANT_ID.eq(tenant).and(CONTRACT_VERSIONS.CONTRACT_ID.eq(contractId)))
                .orderBy(CONTRACT_VERSIONS.VERSION_NUMBER)
                .fetch(ContractsImpl::version);
    }

    /**
     * The tenant's live contracts that meet a condition, each with its versions, in one statement, by
     * id; the versions are filtered by the tenant itself, so that Citus runs it on one shard.
     */
    private List<Contract> read(Condition condition) {
        var v = CONTRACT_VERSIONS;
        Field<List<ContractVersion>> versions = multiset(selectFrom(v)
                .where(v.TENANT_ID.eq(tenant).and(v.CONTRACT_ID.eq(CONTRACTS.ID)))
                .orderBy(v.VERSION_NUMBER))
                .as("versions")
                .convertFrom(rows -> rows.map(ContractsImpl::version));
        return tx.dsl().select(CONTRACTS.fields()).select(versions)
                .from(CONTRACTS)
                .where(CONTRACTS.TENANT_ID.eq(tenant).and(condition).and(CONTRACTS.DELETED_AT.isNull()))
                .orderBy(CONTRACTS.ID)
                .fetch(row -> contract(row.into(CONTRACTS), row.get(versions)));
    }

    /** A contract row just written, with its versions (a second statement). */
    private Contract withVersions(ContractsRecord row) {
        return contract(row, versions(row.getId()));
    }

    private static Contract contract(ContractsRecord r, List<ContractVersion> versions) {
        return new Contract(r.getId(), r.getTitle(), r.getClientId(), r.getProjectId(), r.getStartsOn(), r.getEndsOn(),
                r.getSignatureStatus(), r.getSignatureProvider(), r.getSignatureEnvelopeId(), r.getSentVersionNumber(),
                r.getSignedVersionNumber(), Checks.instant(r.getSignedAt()), Checks.instant(r.getSignatureExpiresAt()), r.getVersion(),
                Checks.instant(r.getCreatedAt()), Checks.instant(r.getUpdatedAt()), Checks.instant(r.getDeletedAt()), versions);
    }

    private static ContractVersion version(ContractVersionsRecord r) {
        return new ContractVersion(r.getId(), r.getContractId(), r.getVersionNumber(), r.getBody(), r.getBodyFormat(),
                r.getDocumentRef(), HexFormat.of().formatHex(r.getContentSha256()), r.getChangeNote(), r.getCreatedBy(),
                Checks.instant(r.getCreatedAt()));
    }

    /** The live contract, locked until the transaction ends, so that its state cannot change under us. */
    private ContractsRecord lock(UUID contractId, String op) {
        Checks.required(contractId, op, "contractId");
        ContractsRecord contract = tx.dsl().selectFrom(CONTRACTS)
                .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.ID.eq(contractId)).and(CONTRACTS.DELETED_AT.isNull()))
                .forUpdate()
                .fetchOne();
        if (contract == null) {
            throw new NotFoundException(op + ": no live contract " + contractId + " in tenant " + tenant);
        }
        return contract;
    }

    private static void require(ContractsRecord contract, SignatureState to, String op) {
        SignatureState from = state(contract);
        if (!Signatures.next(from).contains(to)) {
            throw new InvalidStateTransitionException(op + ": contract " + contract.getId() + " is " + from.literal()
                    + " and cannot become " + to.literal() + ". " + hint(from));
        }
    }

    private static String hint(SignatureState state) {
        return switch (state) {
            case DRAFT -> "A draft is sent first (send).";
            case SENT -> "Its request is out: record the outcome (markSigned, markDeclined, markExpired) or void it (voidRequest).";
            case SIGNED -> "A signed contract is final; create a new contract for an amendment.";
            case DECLINED, VOIDED, EXPIRED -> "Reopen it as a draft first (reopen).";
        };
    }

    /** Moves the locked contract to a state, bumping its optimistic-locking version. */
    private ContractsRecord apply(ContractsRecord contract, SignatureState to, Map<Field<?>, Object> values) {
        Map<Field<?>, Object> set = new LinkedHashMap<>(values);
        set.put(CONTRACTS.SIGNATURE_STATUS, to.literal());
        set.put(CONTRACTS.VERSION, CONTRACTS.VERSION.plus(1));
        set.put(CONTRACTS.UPDATED_AT, tx.now());
        return tx.dsl().update(CONTRACTS).set(set)
                .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.ID.eq(contract.getId())))
                .returning()
                .fetchOne();
    }

    /** The transition's own audit entry: which state to which, and the version it concerns. */
    private void audit(ContractsRecord before, ContractsRecord after, String action, Map<String, String> extra) {
        AuditEvent event = AuditEvent.of(action).entity("agency.contracts", after.getId())
                .meta("from", before.getSignatureStatus().literal())
                .meta("to", after.getSignatureStatus().literal())
                .meta("version", String.valueOf(before.getSentVersionNumber() != null ? before.getSentVersionNumber()
                        : after.getSentVersionNumber()));
        for (Map.Entry<String, String> entry : extra.entrySet()) {
            event = event.meta(entry.getKey(), entry.getValue());
        }
        tx.audit().record(event);
    }

    /** Requires the client and the project, where given, to be live ones of the tenant. */
    private void requireLive(String op, UUID clientId, UUID projectId) {
        if (clientId != null && !tx.dsl().fetchExists(CLIENTS, CLIENTS.TENANT_ID.eq(tenant)
                .and(CLIENTS.ID.eq(clientId)).and(CLIENTS.DELETED_AT.isNull()))) {
            throw new InvalidInputException(op + ": no live client " + clientId + " in tenant " + tenant);
        }
        if (projectId != null && !tx.dsl().fetchExists(PROJECTS, PROJECTS.TENANT_ID.eq(tenant)
                .and(PROJECTS.ID.eq(projectId)).and(PROJECTS.DELETED_AT.isNull()))) {
            throw new InvalidInputException(op + ": no live project " + projectId + " in tenant " + tenant);
        }
    }

    private static SignatureState state(ContractsRecord contract) {
        return contract.getSignatureStatus();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
