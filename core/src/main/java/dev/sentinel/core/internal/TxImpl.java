package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.Numbering;
import dev.sentinel.core.Repository;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.audit.AuditTrail;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.ApiKeys;
import dev.sentinel.core.identity.Members;
import dev.sentinel.core.identity.RefreshTokens;
import dev.sentinel.core.identity.Resource;
import dev.sentinel.core.identity.Roles;
import dev.sentinel.core.identity.Users;
import dev.sentinel.core.jobs.Jobs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.TableRecord;

/** The {@link Tx} of one running transaction. Confined to the thread that runs it. */
final class TxImpl implements Tx {

    private final ScopeSpec scope;
    private final TxOptions options;
    private final String requestId;
    private final DSLContext dsl;
    private final Clock clock;
    private final SecretCipher secretCipher;
    private final ExtensionRegistry extensions;
    private final TransactionRunner runner;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private Authorizer authorizer;
    private boolean open = true;
    private boolean rollbackOnly;
    private String rollbackReason;
    private Finisher finisher;

    /**
     * The last statement of a transaction, sent with its COMMIT in one round trip (and with its
     * settings, when nothing was sent before).
     *
     * @param sql one statement, with {@code ?} binds
     * @param binds the binds
     * @param translate maps the statement's own errors to an exception, or returns {@code null} for the usual translation
     */
    record Finisher(String sql, Object[] binds, Function<SQLException, SentinelException> translate) {
    }

    TxImpl(ScopeSpec scope, TxOptions options, String requestId, DSLContext dsl, Clock clock, SecretCipher secretCipher,
           ExtensionRegistry extensions, TransactionRunner runner) {
        this.extensions = extensions;
        this.runner = runner;
        this.scope = scope;
        this.options = options;
        this.requestId = requestId;
        this.dsl = dsl;
        this.clock = clock;
        this.secretCipher = secretCipher;
    }

    private TransactionRunner.Prologue prologue;
    private Connection connection;

    void pipelineFirstStatement(TransactionRunner.Prologue prologue, Connection connection) {
        this.prologue = prologue;
        this.connection = connection;
    }

    /**
     * Runs one query and returns its rows; when it is the transaction's first statement, the
     * transaction's settings go with it in the same round trip (the job queue's enqueue, which
     * is often a transaction's only statement).
     *
     * @param sql one statement with {@code ?} binds (cast them in the SQL: they go as untyped values)
     * @param binds the binds
     * @return the rows
     */
    List<org.jooq.Record> query(String sql, Object... binds) {
        requireOpen();
        TransactionSetup pending = prologue == null ? null : prologue.takePending();
        if (pending == null) {
            return dsl.resultQuery(sql, binds).fetch();
        }
        TransactionSetup setup = pending.forPipelining();
        try (PreparedStatement statement = connection.prepareStatement(setup.sql() + "; " + sql)) {
            int first = setup.bind(statement);
            for (int i = 0; i < binds.length; i++) {
                statement.setObject(first + i, binds[i]);
            }
            if (setup.resultSets() == 0) {
                return JobQueueImpl.results(statement, dsl, 0);
            }
            // The setup's answer first (a closed tenant's closing time), then the query's rows.
            List<org.jooq.Record> rows = new java.util.ArrayList<>();
            boolean isResultSet = statement.execute();
            TransactionSetup.Answer answer = setup.read(statement, isResultSet);
            prologue.closedSince(answer.closedSince());
            isResultSet = answer.nextIsResultSet();
            while (isResultSet || statement.getUpdateCount() != -1) {
                if (isResultSet) {
                    try (java.sql.ResultSet resultSet = statement.getResultSet()) {
                        rows.addAll(dsl.fetch(resultSet));
                    }
                }
                isResultSet = statement.getMoreResults();
            }
            return rows;
        } catch (SQLException e) {
            SentinelException closed = prologue.closedTenant(e, e);
            throw closed != null ? closed : ErrorTranslator.translate(e, e);
        }
    }

    /**
     * Ends this transaction with {@code finisher}, pipelined with the COMMIT; replaces an earlier one.
     *
     * @param finisher the last statement
     */
    void finishWith(Finisher finisher) {
        requireOpen();
        this.finisher = finisher;
    }

    Finisher finisher() {
        return finisher;
    }

    @Override
    public DSLContext dsl() {
        requireOpen();
        return dsl;
    }

    @Override
    public <R extends TableRecord<R>> Repository<R> table(Table<R> table) {
        requireOpen();
        TableMeta<R> meta = TableMeta.of(table);
        meta.requireSealable();
        return new TableRepository<>(this, meta, TableRepository.Visibility.LIVE);
    }

    @Override
    public AuditTrail audit() {
        requireOpen();
        return new AuditTrailImpl(this);
    }

    @Override
    public Jobs jobs() {
        requireOpen();
        return new JobsImpl(this);
    }

    @Override
    public Numbering numbering() {
        requireOpen();
        return new NumberingImpl(this);
    }

    @Override
    public <T> T attach(Class<T> type) {
        requireOpen();
        return extensions.attach(type, this);
    }

    @Override
    public UUID requireTenantId(String operation) {
        requireOpen();
        if (scope.tenantId() == null) {
            throw new MissingScopeException(operation + " needs a tenant scope: open sentinel.tenant(tenantId, actor)"
                    + " for the tenant whose data this is");
        }
        return scope.tenantId();
    }

    @Override
    public void authorize(String permission) {
        requireOpen();
        authorizer().authorize(permission, null);
    }

    @Override
    public void authorize(String permission, Resource resource) {
        requireOpen();
        authorizer().authorize(permission, Objects.requireNonNull(resource, "resource"));
    }

    @Override
    public boolean can(UUID userId, String permission, AccessScope scope) {
        requireOpen();
        return authorizer().can(userId, permission, scope);
    }

    @Override
    public Roles roles() {
        requireOpen();
        return new RolesImpl(this);
    }

    @Override
    public Members members() {
        requireOpen();
        return new MembersImpl(this);
    }

    @Override
    public Users users() {
        requireOpen();
        return new UsersImpl(this);
    }

    @Override
    public ApiKeys apiKeys() {
        requireOpen();
        return new ApiKeysImpl(this);
    }

    @Override
    public RefreshTokens refreshTokens() {
        requireOpen();
        return new RefreshTokensImpl(this);
    }

    @Override
    public Optional<UUID> tenantId() {
        return Optional.ofNullable(scope.tenantId());
    }

    @Override
    public boolean isSystemScope() {
        return scope.system();
    }

    @Override
    public Actor actor() {
        return scope.actor();
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public void afterCommit(Runnable hook) {
        requireOpen();
        afterCommit.add(Objects.requireNonNull(hook, "hook"));
    }

    ScopeSpec scope() {
        return scope;
    }

    TransactionRunner runner() {
        return runner;
    }

    TxOptions options() {
        return options;
    }

    Authorizer authorizer() {
        if (authorizer == null) {
            authorizer = new Authorizer(this);
        }
        return authorizer;
    }

    @Override
    public OffsetDateTime now() {
        return now(clock);
    }

    /** A clock's now at PostgreSQL's resolution (microseconds), in UTC, so a time read back equals the time written. */
    static OffsetDateTime now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** The cipher for secret columns, or {@code null} when the Sentinel has no keys. */
    SecretCipher secretCipher() {
        return secretCipher;
    }

    List<Runnable> afterCommitHooks() {
        return afterCommit;
    }

    void markRollbackOnly() {
        rollbackOnly = true;
    }

    /** Marks the transaction to roll back, with the message its commit then throws. */
    void markRollbackOnly(String reason) {
        rollbackOnly = true;
        rollbackReason = reason;
    }

    /** Why the transaction must roll back, if a reason was given. */
    Optional<String> rollbackReason() {
        return Optional.ofNullable(rollbackReason);
    }

    boolean rollbackOnly() {
        return rollbackOnly;
    }

    void close() {
        open = false;
    }

    void requireOpen() {
        if (!open) {
            throw new MissingScopeException("This Tx belongs to a transaction that has ended; use the Tx only inside"
                    + " its inTransaction/useTransaction callback");
        }
    }
}
