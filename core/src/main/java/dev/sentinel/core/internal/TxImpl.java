package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.audit.AuditTrail;
import dev.sentinel.core.billing.Invoices;
import dev.sentinel.core.content.KnowledgeBase;
import dev.sentinel.core.content.MediaLibrary;
import dev.sentinel.core.contracts.Contracts;
import dev.sentinel.core.crm.Leads;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.ApiKeys;
import dev.sentinel.core.identity.Members;
import dev.sentinel.core.identity.RefreshTokens;
import dev.sentinel.core.identity.Roles;
import dev.sentinel.core.identity.Users;
import dev.sentinel.core.integrations.Integrations;
import dev.sentinel.core.internal.billing.InvoicesImpl;
import dev.sentinel.core.internal.content.KnowledgeBaseImpl;
import dev.sentinel.core.internal.content.MediaLibraryImpl;
import dev.sentinel.core.internal.contracts.ContractsImpl;
import dev.sentinel.core.internal.crm.LeadsImpl;
import dev.sentinel.core.internal.integrations.IntegrationsImpl;
import dev.sentinel.core.internal.projects.ProjectsImpl;
import dev.sentinel.core.jobs.Jobs;
import dev.sentinel.core.projects.Projects;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
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
    private final List<Runnable> afterCommit = new ArrayList<>();
    private Authorizer authorizer;
    private boolean open = true;
    private boolean rollbackOnly;

    TxImpl(ScopeSpec scope, TxOptions options, String requestId, DSLContext dsl, Clock clock, SecretCipher secretCipher) {
        this.scope = scope;
        this.options = options;
        this.requestId = requestId;
        this.dsl = dsl;
        this.clock = clock;
        this.secretCipher = secretCipher;
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
    public Invoices invoices() {
        requireOpen();
        return new InvoicesImpl(this, clock);
    }

    @Override
    public Projects projects() {
        requireOpen();
        return new ProjectsImpl(this, clock);
    }

    @Override
    public Contracts contracts() {
        requireOpen();
        return new ContractsImpl(this, clock);
    }

    @Override
    public void authorize(String permission) {
        requireOpen();
        authorizer().authorize(permission, null);
    }

    @Override
    public void authorize(String permission, UUID projectId) {
        requireOpen();
        authorizer().authorize(permission, Objects.requireNonNull(projectId, "projectId"));
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
    public Leads leads() {
        requireOpen();
        return new LeadsImpl(this);
    }

    @Override
    public KnowledgeBase knowledgeBase() {
        requireOpen();
        return new KnowledgeBaseImpl(this, clock);
    }

    @Override
    public MediaLibrary media() {
        requireOpen();
        return new MediaLibraryImpl(this);
    }

    @Override
    public Integrations integrations() {
        requireOpen();
        return new IntegrationsImpl(this, clock);
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

    TxOptions options() {
        return options;
    }

    Authorizer authorizer() {
        if (authorizer == null) {
            authorizer = new Authorizer(this);
        }
        return authorizer;
    }

    /** The service clock's current time at PostgreSQL's resolution, in UTC, as the identity tables store it. */
    OffsetDateTime now() {
        return now(clock);
    }

    /** A clock's now at PostgreSQL's resolution (microseconds), in UTC, so a time read back equals the time written. */
    static OffsetDateTime now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    Clock clock() {
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
