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
import dev.sentinel.agency.contracts.ContractContent;
import dev.sentinel.agency.contracts.Contracts;
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
import dev.sentinel.core.Tx;
import dev.sentinel.core.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.TableField;
import org.jooq.impl.DSL;

/**
 * {@link Contracts} on one transaction of a tenant. Every transition locks the contract row
 * ({@code FOR UPDATE}), checks the permission and the state, then updates the row and writes the
 * audit entry; the database's trigger checks the same machine again, for raw SQL.
 */
public final class ContractsImpl implements Contracts {

    /** How far a provider's signing time may lie ahead of the service's tx.clock(). */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final int MAX_TITLE = 300;
    private static final int MAX_NOTE = 2000;
    private static final int MAX_ENVELOPE = 200;
    /** Fields that change only through the transitions. */
    private static final List<TableField<ContractsRecord, ?>> SIGNATURE_FIELDS = List.of(CONTRACTS.SIGNATURE_STATUS,
            CONTRACTS.SIGNATURE_PROVIDER, CONTRACTS.SIGNATURE_ENVELOPE_ID, CONTRACTS.SIGNED_AT, CONTRACTS.SENT_VERSION_NUMBER,
            CONTRACTS.SIGNED_VERSION_NUMBER, CONTRACTS.SIGNATURE_EXPIRES_AT);

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the contracts to a transaction.
     *
     * @param tx the transaction, in a tenant scope
     */
    public ContractsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = Checks.tenant(tx, "tx.attach(Contracts.class)");
    }

    private Repository<ContractsRecord> repository() {
        return tx.table(CONTRACTS);
    }

    @Override
    public ContractsRecord create(ContractsRecord contract) {
        String op = "create contract";
        Checks.required(contract, op, "contract");
        for (TableField<ContractsRecord, ?> field : SIGNATURE_FIELDS) {
            if (contract.changed(field) && contract.get(field) != null) {
                throw new InvalidInputException(op + ": " + field.getName() + " is set by the signature transitions"
                        + " (send, markSigned, ...); leave it unset, a new contract is a draft");
            }
        }
        Checks.authorize(tx, "contract:write", contract.getProjectId());
        validate(contract, op, true, true);
        return repository().insert(contract);
    }

    @Override
    public ContractsRecord update(ContractsRecord contract) {
        String op = "update contract";
        Checks.required(contract, op, "contract");
        UUID id = Checks.required(contract.getId(), op, "id (read the contract with get first)");
        for (TableField<ContractsRecord, ?> field : SIGNATURE_FIELDS) {
            if (changed(contract, field)) {
                throw new InvalidInputException(op + " " + id + ": " + field.getName() + " changes only through the"
                        + " signature transitions (send, markSigned, markDeclined, voidRequest, markExpired, reopen)");
            }
        }
        ContractsRecord current = get(id);
        Checks.authorize(tx, "contract:write", current.getProjectId());
        if (changed(contract, CONTRACTS.PROJECT_ID) && contract.getProjectId() != null) {
            Checks.authorize(tx, "contract:write", contract.getProjectId());
        }
        if (state(current) == SignatureState.SIGNED) {
            throw new InvalidStateTransitionException(op + " " + id + ": the contract is signed, and a signed contract is"
                    + " final; create a new contract for an amendment");
        }
        validate(contract, op, changed(contract, CONTRACTS.CLIENT_ID), changed(contract, CONTRACTS.PROJECT_ID));
        return repository().update(contract);
    }

    @Override
    public ContractVersionsRecord addVersion(UUID contractId, ContractContent content, String changeNote) {
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
        Field<Integer> next = DSL.field(select(coalesce(max(v.VERSION_NUMBER), 0).plus(1)).from(v)
                .where(v.TENANT_ID.eq(tenant).and(v.CONTRACT_ID.eq(contractId))));
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
        return withContent.returning().fetchOne();
    }

    @Override
    public ContractsRecord send(UUID contractId, SignatureProvider provider, String envelopeId, Instant expiresAt) {
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
        values.put(CONTRACTS.SIGNATURE_EXPIRES_AT, expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC));
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
        return sent;
    }

    @Override
    public ContractsRecord markSigned(UUID contractId, Instant signedAt) {
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
        values.put(CONTRACTS.SIGNED_AT, signedAt.atOffset(ZoneOffset.UTC));
        values.put(CONTRACTS.SIGNED_VERSION_NUMBER, contract.getSentVersionNumber());
        ContractsRecord signed = apply(contract, SignatureState.SIGNED, values);
        audit(contract, signed, "contract.sign", Map.of("signed_at", signedAt.toString()));
        return signed;
    }

    @Override
    public ContractsRecord markDeclined(UUID contractId, String reason) {
        return outcome(contractId, SignatureState.DECLINED, "markDeclined", "contract:sign", "contract.decline", reason);
    }

    @Override
    public ContractsRecord voidRequest(UUID contractId, String reason) {
        return outcome(contractId, SignatureState.VOIDED, "voidRequest", "contract:send", "contract.void", reason);
    }

    @Override
    public ContractsRecord markExpired(UUID contractId) {
        return outcome(contractId, SignatureState.EXPIRED, "markExpired", "contract:sign", "contract.expire", null);
    }

    private ContractsRecord outcome(UUID contractId, SignatureState to, String op, String permission, String action,
            String reason) {
        if (reason != null && reason.length() > MAX_NOTE) {
            throw new InvalidInputException(op + ": reason is longer than " + MAX_NOTE + " characters");
        }
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, permission, contract.getProjectId());
        require(contract, to, op);
        ContractsRecord changed = apply(contract, to, Map.of());
        audit(contract, changed, action, reason == null ? Map.of() : Map.of("reason", reason));
        return changed;
    }

    @Override
    public List<ContractsRecord> expireOverdue() {
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
        List<ContractsRecord> expired = new ArrayList<>();
        for (ContractsRecord contract : overdue) {
            ContractsRecord changed = apply(contract, SignatureState.EXPIRED, Map.of());
            audit(contract, changed, "contract.expire", Map.of("overdue_since", contract.getSignatureExpiresAt().toInstant().toString()));
            expired.add(changed);
        }
        return expired;
    }

    @Override
    public ContractsRecord reopen(UUID contractId) {
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
        return reopened;
    }

    @Override
    public ContractsRecord softDelete(UUID contractId, String reason) {
        String op = "softDelete contract";
        ContractsRecord contract = lock(contractId, op);
        Checks.authorize(tx, "contract:delete", contract.getProjectId());
        if (state(contract) == SignatureState.SENT) {
            throw new InvalidStateTransitionException(op + ": contract " + contractId + " is out for signature;"
                    + " void the request (voidRequest) first");
        }
        return repository().softDelete(contractId, reason);
    }

    @Override
    public ContractsRecord restore(UUID contractId) {
        Checks.required(contractId, "restore contract", "contractId");
        ContractsRecord contract = repository().withDeleted().get(contractId);
        Checks.authorize(tx, "contract:delete", contract.getProjectId());
        return repository().restore(contractId);
    }

    @Override
    public Optional<ContractsRecord> find(UUID contractId) {
        return repository().find(Checks.required(contractId, "find contract", "contractId"));
    }

    @Override
    public ContractsRecord get(UUID contractId) {
        return repository().get(Checks.required(contractId, "get contract", "contractId"));
    }

    @Override
    public Optional<ContractsRecord> byEnvelope(SignatureProvider provider, String envelopeId) {
        Checks.required(provider, "byEnvelope", "provider");
        Checks.required(envelopeId, "byEnvelope", "envelopeId");
        return tx.dsl().selectFrom(CONTRACTS)
                .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.SIGNATURE_PROVIDER.eq(provider))
                        .and(CONTRACTS.SIGNATURE_ENVELOPE_ID.eq(envelopeId)).and(CONTRACTS.DELETED_AT.isNull()))
                .fetchOptional();
    }

    @Override
    public Page<ContractsRecord> list(SignatureState state, PageRequest page) {
        return repository().list(state == null ? DSL.noCondition() : CONTRACTS.SIGNATURE_STATUS.eq(state), page);
    }

    @Override
    public List<ContractVersionsRecord> versions(UUID contractId) {
        Checks.required(contractId, "versions", "contractId");
        return tx.dsl().selectFrom(CONTRACT_VERSIONS)
                .where(CONTRACT_VERSIONS.TENANT_ID.eq(tenant).and(CONTRACT_VERSIONS.CONTRACT_ID.eq(contractId)))
                .orderBy(CONTRACT_VERSIONS.VERSION_NUMBER)
                .fetch();
    }

    /** One statement: the contract row and its versions as a MULTISET (nested JSON that jOOQ maps back). */
    @Override
    public Contract details(UUID contractId) {
        Checks.required(contractId, "details", "contractId");
        var v = CONTRACT_VERSIONS;
        Field<List<ContractVersionsRecord>> versions = multiset(selectFrom(v)
                .where(v.TENANT_ID.eq(CONTRACTS.TENANT_ID).and(v.CONTRACT_ID.eq(CONTRACTS.ID)))
                .orderBy(v.VERSION_NUMBER))
                .as("versions")
                .convertFrom(rows -> List.copyOf(rows));
        Record row = tx.dsl().select(CONTRACTS.fields()).select(versions)
                .from(CONTRACTS)
                .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.ID.eq(contractId)).and(CONTRACTS.DELETED_AT.isNull()))
                .fetchOne();
        if (row == null) {
            throw new NotFoundException("details: no live contract " + contractId + " in tenant " + tenant);
        }
        return new Contract(row.into(CONTRACTS), row.get(versions));
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

    private void validate(ContractsRecord contract, String op, boolean checkClient, boolean checkProject) {
        Checks.text(contract.getTitle(), op, "title", MAX_TITLE);
        Checks.period(contract.getStartsOn(), contract.getEndsOn(), op);
        if (checkClient && contract.getClientId() != null && !tx.dsl().fetchExists(CLIENTS, CLIENTS.TENANT_ID.eq(tenant)
                .and(CLIENTS.ID.eq(contract.getClientId())).and(CLIENTS.DELETED_AT.isNull()))) {
            throw new InvalidInputException(op + ": no live client " + contract.getClientId() + " in tenant " + tenant);
        }
        if (checkProject && contract.getProjectId() != null && !tx.dsl().fetchExists(PROJECTS, PROJECTS.TENANT_ID.eq(tenant)
                .and(PROJECTS.ID.eq(contract.getProjectId())).and(PROJECTS.DELETED_AT.isNull()))) {
            throw new InvalidInputException(op + ": no live project " + contract.getProjectId() + " in tenant " + tenant);
        }
    }

    private static SignatureState state(ContractsRecord contract) {
        return contract.getSignatureStatus();
    }

    private static boolean changed(Record record, Field<?> field) {
        return record.changed(field) && !java.util.Objects.equals(record.original(field), record.get(field));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
