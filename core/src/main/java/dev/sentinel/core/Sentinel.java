package dev.sentinel.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.core.audit.AuditChain;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditPublicKey;
import dev.sentinel.core.audit.AuditRetention;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.export.ExportResult;
import dev.sentinel.core.internal.AuditRetentionImpl;
import dev.sentinel.core.identity.Credentials;
import dev.sentinel.core.identity.LockoutPolicy;
import dev.sentinel.core.internal.ChainSealer;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.internal.CredentialsImpl;
import dev.sentinel.core.internal.DaemonThreads;
import dev.sentinel.core.internal.ErrorTranslator;
import dev.sentinel.core.internal.ExtensionRegistry;
import dev.sentinel.core.internal.JobQueueImpl;
import dev.sentinel.core.internal.MicrometerObserver;
import dev.sentinel.core.internal.Observer;
import dev.sentinel.core.internal.QuietLogs;
import dev.sentinel.core.internal.JobSystemAccess;
import dev.sentinel.core.internal.RoleCheck;
import dev.sentinel.core.internal.RoleSettingsCheck;
import dev.sentinel.core.internal.SessionLimits;
import dev.sentinel.core.internal.SessionPins;
import dev.sentinel.core.internal.ScopeSpec;
import dev.sentinel.core.internal.SecretCipher;
import dev.sentinel.core.internal.SecretKeyChecks;
import dev.sentinel.core.internal.SecretRotationImpl;
import dev.sentinel.core.internal.TenantExporter;
import dev.sentinel.core.internal.TextGuard;
import dev.sentinel.core.internal.TransactionRunner;
import dev.sentinel.core.jobs.JobQueue;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.core.secrets.SecretKeyException;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.core.secrets.SecretRotation;
import dev.sentinel.schema.InvalidMigrationSourceException;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.Configuration;
import org.jooq.ExecuteListenerProvider;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: a service builds one at start-up and keeps it for its lifetime.
 *
 * <pre>{@code
 * Sentinel sentinel = Sentinel.builder()
 *         .dataSource(appDataSource)          // role sentinel_app, maybe through PgBouncer
 *         .systemDataSource(systemDataSource) // role sentinel_system: the system scope's own pool
 *         .migrateWith(ownerDataSource)       // direct, role sentinel_owner; Flyway at start
 *         .build();
 *
 * UUID id = sentinel.tenant(tenantId, Actor.user(userId))
 *         .inTransaction(tx -> tx.table(WIDGETS).insert(widget).getId());
 * }</pre>
 *
 * <p>{@link Builder#build()} validates the configuration, applies pending migrations if asked
 * (failing fast), and refuses a runtime role that could bypass row-level security. Thread-safe;
 * {@link #close()} closes the pool that Sentinel created itself, never a data source it was given.
 */
public final class Sentinel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sentinel.class);

    private final TransactionRunner runner;
    private final DataSource runtime;
    private final DataSource systemRuntime;
    private final Roles roles;
    private final HikariDataSource ownedPool;
    private final Clock clock;
    private final AuditChain auditChain;
    private final ScheduledExecutorService sealer;
    private final JobQueue jobQueue;
    private final Credentials credentials;
    private final SecretRotation secretRotation;
    private final Observer observer;
    private final List<Table<?>> tenantTables;

    private Sentinel(TransactionRunner runner, DataSource runtime, DataSource systemRuntime, Roles roles, HikariDataSource ownedPool,
            Clock clock,
            AuditKey auditKey, List<AuditKey> retiredKeys, Duration sealEvery, LockoutPolicy lockoutPolicy, SecretCipher secretCipher,
            Observer observer, AuditSigningKey signingKey, List<AuditPublicKey> retiredPublicKeys, List<Table<?>> tenantTables) {
        this.runner = runner;
        this.runtime = runtime;
        this.systemRuntime = systemRuntime;
        this.roles = roles;
        this.observer = observer;
        this.ownedPool = ownedPool;
        this.clock = clock;
        this.auditChain = auditKey == null ? null
                : new ChainSealer(system(ChainSealer.actor()), auditKey, retiredKeys, signingKey, retiredPublicKeys, clock);
        this.tenantTables = List.copyOf(tenantTables);
        this.sealer = sealEvery == null ? null : startSealer(auditChain, sealEvery);
        this.jobQueue = new JobQueueImpl(new JobSystemAccess(system(JobQueueImpl.ACTOR), runner,
                new ScopeSpec(null, JobQueueImpl.ACTOR)), tenantId -> tenant(tenantId, JobQueueImpl.ACTOR));
        Observer.attach(jobQueue, observer);
        this.credentials = new CredentialsImpl(this, clock, lockoutPolicy);
        this.secretRotation = secretCipher == null ? null : new SecretRotationImpl(system(SecretRotationImpl.ACTOR), secretCipher);
    }

    private static ScheduledExecutorService startSealer(AuditChain chain, Duration every) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sentinel-audit-sealer"));
        executor.scheduleWithFixedDelay(() -> {
            try {
                chain.sealAll();
            } catch (RuntimeException e) {
                LOG.warn("Sealing the audit chain failed; retrying in {}: {}", every, e.getMessage(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return executor;
    }

    /**
     * Starts a configuration.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The scope of one tenant: reads and writes see only that tenant's rows, by the explicit
     * predicate of every repository query and by row-level security for any SQL.
     *
     * @param tenantId the tenant's id
     * @param actor who acts
     * @return the scope, with default transaction options
     * @throws InvalidInputException if an argument is null
     */
    public Scope tenant(UUID tenantId, Actor actor) {
        if (tenantId == null) {
            throw new InvalidInputException("tenant: tenantId is null; for work across tenants use system(actor)");
        }
        return new Scope(runner, new ScopeSpec(tenantId, requireActor(actor)), TxOptions.defaults());
    }

    /**
     * The system scope, which sees every tenant's rows: for cross-tenant work such as creating
     * tenants, running jobs or data migrations. Visibly named so that reviews and tooling can find
     * it; audit rows record that it was used. Its transactions run on the
     * {@link Builder#systemDataSource system scope's own connections}; without them, a transaction
     * of this scope fails with {@link ConfigurationException} naming what to configure.
     *
     * @param actor who acts
     * @return the scope, with default transaction options
     * @throws InvalidInputException if the actor is null
     */
    public Scope system(Actor actor) {
        return new Scope(runner, new ScopeSpec(null, requireActor(actor)), TxOptions.defaults());
    }

    /**
     * The clock that the repositories use for timestamps.
     *
     * @return the configured clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The worker side of the job queue: claims across tenants, fenced lease operations, the
     * rescuer and metrics. Jobs are enqueued with {@code tx.jobs()}; {@link JobWorkers} runs them.
     *
     * @return the queue, thread-safe
     */
    public JobQueue jobQueue() {
        return jobQueue;
    }

    /**
     * The authentication side: verifying API keys, rotating refresh tokens, recording sign-in
     * attempts and lockouts. Each call runs its own transaction.
     *
     * @return the credentials, thread-safe
     */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * Tamper evidence for the audit trail: seal, export anchors, verify.
     *
     * @return the chain
     * @throws ConfigurationException if no {@link Builder#auditKey audit key} was configured
     */
    public AuditChain auditChain() {
        if (auditChain == null) {
            throw new ConfigurationException("Sentinel: no audit key; configure auditKey(AuditKey.of(id, secret)) with a key"
                    + " kept outside the database to seal and verify the audit chain");
        }
        return auditChain;
    }

    /**
     * Writes everything a tenant owns into a new directory, as a portable archive that its owner can
     * verify without Sentinel's database and without a key that could forge it: one JSON-lines file
     * per tenant table (the kernel's, the {@link SentinelModule#tenantTables() modules'} and the
     * service's {@link Builder#tenantTables own}), the tenant's audit trail as its rows' canonical
     * texts in chain order, its signed checkpoints, and a manifest of row counts and SHA-256
     * checksums signed with the {@link Builder#auditSigningKey audit signing key}.
     * {@code ArchiveVerifier} checks it with the public key alone.
     *
     * <p>The call seals the tenant's pending audit rows and signs a checkpoint at the head, then reads
     * every table in one read-only REPEATABLE READ transaction of the tenant's scope (a consistent
     * snapshot; row-level security shows it only the tenant's rows), streaming each table through a
     * cursor into its file, so memory does not grow with the tenant's size. It writes into a
     * temporary sibling directory and renames it at the end: a failed export leaves no directory.
     *
     * @param tenantId the tenant
     * @param directory where the archive goes; must not exist yet, its parent must
     * @return what was written
     * @throws InvalidInputException if an argument is null, the directory exists or its parent does not
     * @throws NotFoundException if the tenant does not exist
     * @throws ConfigurationException without an audit key and an audit signing key, or without {@link Builder#systemDataSource}
     * @throws dev.sentinel.core.audit.AuditChainBrokenException if the audit chain does not verify; nothing is written
     * @throws java.io.UncheckedIOException if writing fails
     */
    public ExportResult exportTenant(UUID tenantId, Path directory) {
        ChainSealer chain = (ChainSealer) auditChain();
        return new TenantExporter(this, chain, tenantTables).export(tenantId, directory);
    }

    /**
     * Audit retention for one tenant at a time, run as the owner role: the trails' one removal path.
     *
     * @param ownerDataSource connections as the owner role (direct, not through a transaction pooler)
     * @param actor who runs it, recorded in the system audit trail
     * @return the retention; each call checks the role of {@code ownerDataSource}
     * @throws InvalidInputException if an argument is null
     * @throws ConfigurationException without an audit key and an audit signing key
     */
    public AuditRetention auditRetention(DataSource ownerDataSource, Actor actor) {
        if (ownerDataSource == null) {
            throw new InvalidInputException("auditRetention: ownerDataSource is null; pass connections as the owner role ("
                    + roles.owner() + ")");
        }
        ChainSealer chain = (ChainSealer) auditChain();
        chain.requireSigning();
        return new AuditRetentionImpl(this, chain, ownerDataSource, roles.owner(), requireActor(actor));
    }

    /**
     * Re-sealing of secret columns under the primary key of the configured {@link SecretKeys}, the
     * second step of a key rotation (see {@link SecretRotation}).
     *
     * @return the rotation, thread-safe
     * @throws SecretKeyException if no {@link Builder#secretKeys secret keys} were configured
     */
    public SecretRotation secretRotation() {
        if (secretRotation == null) {
            throw new SecretKeyException("Sentinel: no secret keys; configure secretKeys(SecretKeys.of(newKey, oldKey))"
                    + " to rotate secrets to newKey", null);
        }
        return secretRotation;
    }

    /**
     * Checks the runtime role and its sessions, as a service's health endpoint would: whether the
     * role could bypass row-level security, which per-role or per-database defaults reach its
     * sessions (any session of the role may set them with {@code ALTER ROLE ... SET}; Sentinel
     * pins what it needs in each transaction, but the defaults should go), what PostgreSQL cannot
     * refuse the role in this deployment, and how often the audit sealer skipped a tenant whose
     * chain lock another session held. Reads the catalog on one pooled connection.
     *
     * @return what was found
     * @throws DatabaseException if the catalog cannot be read
     */
    public Health health() {
        List<String> problems = new ArrayList<>();
        List<String> role = RoleCheck.problems(runtime, roles);
        if (role.size() > 1) {
            problems.add("the runtime role " + role.getFirst() + " " + String.join(", ", role.subList(1, role.size()))
                    + ": connect as the application role (" + roles.app() + ")");
        }
        problems.addAll(RoleSettingsCheck.problems(runtime));
        if (systemRuntime != null) {
            List<String> system = RoleCheck.problems(systemRuntime, roles, false);
            if (system.size() > 1) {
                problems.add("the system role " + system.getFirst() + " " + String.join(", ", system.subList(1, system.size()))
                        + ": connect the system data source as the system role (" + roles.system() + ")");
            }
            problems.addAll(RoleSettingsCheck.problems(systemRuntime));
        }
        return new Health(problems, SessionLimits.limits(runtime),
                auditChain instanceof ChainSealer chain ? chain.skippedSeals() : 0);
    }

    /**
     * Stops the background sealer and the metrics' refresher, if any, and closes the connection pool
     * that Sentinel created from a JDBC URL; a given DataSource stays open.
     */
    @Override
    public void close() {
        observer.close();
        if (sealer != null) {
            sealer.shutdownNow();
        }
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private static Actor requireActor(Actor actor) {
        if (actor == null) {
            throw new InvalidInputException("actor is null; pass Actor.user(userId) or Actor.service(name)");
        }
        return actor;
    }

    /** Configuration of a {@link Sentinel}; not thread-safe. Validated and sealed by {@link #build()}. */
    public static final class Builder {
        private DataSource dataSource;
        private DataSource systemDataSource;
        private String jdbcUrl;
        private String user;
        private String password;
        private int maximumPoolSize = 10;
        private DataSource migrationDataSource;
        private final List<String> serviceMigrations = new ArrayList<>();
        private String serviceSchema = "public";
        private final List<SentinelModule> modules = new ArrayList<>();
        private final ExtensionRegistry extensions = new ExtensionRegistry();
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private Roles roles = Roles.defaults();
        private Clock clock = Clock.systemUTC();
        private boolean allowUnsafeRuntimeRole;
        private AuditKey auditKey;
        private final List<AuditKey> retiredAuditKeys = new ArrayList<>();
        private AuditSigningKey auditSigningKey;
        private final List<AuditPublicKey> retiredPublicKeys = new ArrayList<>();
        private final List<Table<?>> serviceTenantTables = new ArrayList<>();
        private LockoutPolicy lockoutPolicy = LockoutPolicy.defaults();
        private Duration sealEvery;
        private SecretKeys secretKeys;
        private MeterRegistry meterRegistry;
        private final List<ExecuteListenerProvider> executeListeners = new ArrayList<>();
        private Consumer<Settings> jooqSettings = settings -> { };
        private Duration statementTimeout = Duration.ZERO;
        private Duration lockTimeout = Duration.ZERO;
        private boolean built;

        private Builder() {
        }

        /**
         * The tenants' runtime connections, as the application role: every tenant-scope
         * transaction runs on them. The system scope runs on {@link #systemDataSource}. Sentinel
         * does not close it.
         *
         * @param dataSource a pool such as HikariCP, possibly through PgBouncer in transaction mode
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            checkNotBuilt();
            this.dataSource = dataSource;
            return this;
        }

        /**
         * The system scope's own connections, as the system role ({@code sentinel_system} by
         * default, see {@link Roles}): every transaction of {@link Sentinel#system}, and so the
         * audit sealer, the job queue's claims and rescuer, sign-in and credential checks, secret
         * key checks and rotation, and tenant and user administration, runs on them. The tenant
         * pool's role ({@link #dataSource}) has one policy per tenant table, its tenant's, and no way
         * into the system scope, whatever SQL it sends. Without this call only tenant scopes work: a
         * system-scope operation fails with {@link ConfigurationException} naming this method.
         * Sentinel does not close it.
         *
         * @param systemDataSource a small pool (claims and sealing hold a connection briefly),
         *     possibly through PgBouncer in transaction mode
         * @return this builder
         */
        public Builder systemDataSource(DataSource systemDataSource) {
            checkNotBuilt();
            this.systemDataSource = systemDataSource;
            return this;
        }

        /**
         * The runtime connections by URL: Sentinel creates a HikariCP pool and closes it on
         * {@link Sentinel#close()}. The password is never logged.
         *
         * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/app}
         * @param user the application role, e.g. {@code sentinel_app}
         * @param password its password, or {@code null}
         * @return this builder
         */
        public Builder jdbcUrl(String jdbcUrl, String user, String password) {
            checkNotBuilt();
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * The size of the pool created for {@link #jdbcUrl}.
         *
         * @param size 1 to 1000; default 10
         * @return this builder
         */
        public Builder maximumPoolSize(int size) {
            checkNotBuilt();
            this.maximumPoolSize = size;
            return this;
        }

        /**
         * Applies pending migrations (Sentinel's, then the service's) at {@link #build()}, over these
         * connections, and fails fast if one fails. Use a direct connection as the owner role, not
         * a transaction pooler: Flyway holds a session lock.
         *
         * @param ownerDataSource connections as the owner role
         * @return this builder
         */
        public Builder migrateWith(DataSource ownerDataSource) {
            checkNotBuilt();
            this.migrationDataSource = ownerDataSource;
            return this;
        }

        /**
         * Adds a module on top of the kernel, such as the agency domain: its migrations are applied
         * after the kernel's (and the modules added before it) and before the service's when
         * {@link #migrateWith} is set, and its types become reachable through {@link Tx#attach(Class)}.
         *
         * @param module the module, such as {@code Agency.module()}
         * @return this builder
         * @throws ConfigurationException if the module registers a type that is registered already
         */
        public Builder module(SentinelModule module) {
            checkNotBuilt();
            // Its types first: a module whose registration fails must not be migrated either.
            Objects.requireNonNull(module, "module").registerExtensions(extensions);
            modules.add(module);
            return this;
        }

        /**
         * Registers one of the service's own repositories (or any type) that {@link Tx#attach(Class)}
         * returns, made anew from the transaction on each call: the same mechanism modules use.
         *
         * <pre>{@code
         * Sentinel.builder()...extension(Bookings.class, BookingsRepository::new).build();
         * sentinel.tenant(tenantId, actor).inTransaction(tx -> tx.attach(Bookings.class).book(slot));
         * }</pre>
         *
         * @param type the type callers ask for
         * @param factory makes an instance bound to a transaction
         * @param <T> the type
         * @return this builder
         * @throws ConfigurationException if {@code type} is registered already
         */
        public <T> Builder extension(Class<T> type, Function<? super Tx, ? extends T> factory) {
            checkNotBuilt();
            extensions.add(type, factory);
            return this;
        }

        /**
         * Flyway locations of the service's own migrations, applied after Sentinel's when
         * {@link #migrateWith} is set. Or one Prisma migrations folder instead,
         * {@code prisma:classpath:prisma/migrations} (or {@code prisma:filesystem:...}): its
         * {@code migration_lock.toml} must name PostgreSQL and its folders run in Prisma's order,
         * with Flyway's history (docs/codegen.md, "Prisma migration history").
         *
         * @param locations e.g. {@code classpath:db/migration}
         * @return this builder
         */
        public Builder serviceMigrations(String... locations) {
            checkNotBuilt();
            serviceMigrations.addAll(List.of(locations));
            return this;
        }

        /**
         * The schema of the service's migrations and their history.
         *
         * @param schema default {@code public}
         * @return this builder
         */
        public Builder serviceSchema(String schema) {
            checkNotBuilt();
            this.serviceSchema = schema;
            return this;
        }

        /**
         * Flyway placeholders for the migrations.
         *
         * @param placeholders keys and values
         * @return this builder
         */
        public Builder placeholders(Map<String, String> placeholders) {
            checkNotBuilt();
            this.placeholders.putAll(placeholders);
            return this;
        }

        /**
         * The role names, if not the defaults.
         *
         * @param roles default {@link Roles#defaults()}
         * @return this builder
         */
        public Builder roles(Roles roles) {
            checkNotBuilt();
            this.roles = roles;
            return this;
        }

        /**
         * The clock for the timestamps Sentinel writes (and, in modules, such as invoice years).
         *
         * @param clock default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            checkNotBuilt();
            this.clock = clock;
            return this;
        }

        /**
         * Starts even if the runtime role could bypass row-level security (superuser, BYPASSRLS,
         * owner, member of the owner role), logging a warning instead of refusing. For people who
         * know why, such as a local tool run as the owner.
         *
         * @param allow default {@code false}
         * @return this builder
         */
        public Builder allowUnsafeRuntimeRole(boolean allow) {
            checkNotBuilt();
            this.allowUnsafeRuntimeRole = allow;
            return this;
        }

        /**
         * The key that seals the audit chain, held by the service and never stored in the database.
         *
         * @param current the key new links are computed with
         * @param retired older keys, accepted when verifying links they computed (key rotation)
         * @return this builder
         */
        public Builder auditKey(AuditKey current, AuditKey... retired) {
            checkNotBuilt();
            this.auditKey = current;
            this.retiredAuditKeys.addAll(List.of(retired));
            return this;
        }

        /**
         * The Ed25519 key pair that signs checkpoints of the audit chain and exported archives, held by
         * the service and never stored in the database; its public half verifies them. Needs {@link #auditKey}.
         *
         * @param current the pair new checkpoints are signed with
         * @param retired public keys of older pairs, accepted when verifying checkpoints they signed
         * @return this builder
         */
        public Builder auditSigningKey(AuditSigningKey current, AuditPublicKey... retired) {
            checkNotBuilt();
            this.auditSigningKey = current;
            this.retiredPublicKeys.addAll(List.of(retired));
            return this;
        }

        /**
         * Declares the service's own tenant tables, so that {@link Sentinel#exportTenant} writes them too
         * (modules declare theirs with {@link SentinelModule#tenantTables()}). Pass the generated jOOQ
         * tables: their names, key and columns come from the generated classes, not from the live catalog.
         *
         * @param tables tables with a {@code tenant_id} column and a primary key
         * @return this builder
         */
        public Builder tenantTables(Table<?>... tables) {
            checkNotBuilt();
            serviceTenantTables.addAll(List.of(tables));
            return this;
        }

        /**
         * Seals every tenant's pending audit rows in the background at this interval, on one daemon
         * thread. Needs {@link #auditKey}. Without it, call {@code auditChain().sealAll()} yourself.
         *
         * @param interval at least one second
         * @return this builder
         */
        public Builder sealAuditEvery(Duration interval) {
            checkNotBuilt();
            this.sealEvery = interval;
            return this;
        }

        /**
         * When failed sign-ins lock an address ({@link Credentials#recordSignIn}).
         *
         * @param policy the policy; default {@link LockoutPolicy#defaults()}
         * @return this builder
         */
        public Builder lockoutPolicy(LockoutPolicy policy) {
            checkNotBuilt();
            this.lockoutPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The keys that seal and open columns commented {@code sentinel:secret} (AES-256-GCM,
         * bound to table, column, tenant and row), supplied by the service from its secret store
         * and never stored in the database. Without keys, writing a secret value or revealing one
         * fails with {@link SecretKeyException}; everything else works. {@link #build()} checks the
         * keys against the check values recorded in the database, so that other material under a
         * known key id fails at start-up.
         *
         * @param keys the primary key, which seals new values, and older keys, which open values
         *     sealed under them
         * @return this builder
         */
        public Builder secretKeys(SecretKeys keys) {
            checkNotBuilt();
            this.secretKeys = keys;
            return this;
        }

        /**
         * Records Sentinel's meters in a Micrometer registry (Micrometer is an optional dependency:
         * without this call no Micrometer class is loaded). Timers {@code sentinel.transactions}
         * (tags {@code scope}, {@code outcome}) and {@code sentinel.jobs.runs} ({@code queue},
         * {@code type}, {@code outcome}); counters {@code sentinel.transactions.retries} and
         * {@code sentinel.transactions.serialization.failures} ({@code scope}); gauges
         * {@code sentinel.jobs.depth} ({@code queue}, {@code state}), {@code sentinel.jobs.oldest.due}
         * ({@code queue}) and, with an {@link #auditKey audit key}, {@code sentinel.audit.unsealed}
         * and {@code sentinel.audit.seal.lag}, refreshed every 15 seconds by a daemon thread (the
         * gauges read in the system scope, so they need {@link #systemDataSource}). No meter carries
         * a tenant id.
         *
         * @param registry the registry, such as the application's
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            checkNotBuilt();
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Adds jOOQ execute listeners to every transaction's {@code DSLContext}, after Sentinel's own
         * (which translate errors and guard text): for query metrics, tracing or logging.
         *
         * @param providers the listeners' providers
         * @return this builder
         */
        public Builder executeListeners(ExecuteListenerProvider... providers) {
            checkNotBuilt();
            for (ExecuteListenerProvider provider : providers) {
                executeListeners.add(Objects.requireNonNull(provider, "provider"));
            }
            return this;
        }

        /**
         * Adjusts the jOOQ settings of every transaction's {@code DSLContext}, such as a query
         * timeout or the rendering of names. Sentinel's repositories need the catalog left out of
         * rendered names, so {@code renderCatalog} stays {@code false} whatever the customizer sets.
         *
         * @param customizer changes the settings Sentinel starts from
         * @return this builder
         */
        public Builder jooqSettings(Consumer<Settings> customizer) {
            checkNotBuilt();
            this.jooqSettings = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * The timeouts every transaction pins in its first round trip, whatever its pooled session
         * or the role's defaults say ({@code SET LOCAL statement_timeout}, {@code lock_timeout}).
         * {@link TxOptions#withStatementTimeout} overrides the statement timeout of one transaction.
         *
         * @param statement the statement timeout; default zero, none
         * @param lock the lock timeout; default zero, none
         * @return this builder
         */
        public Builder timeouts(Duration statement, Duration lock) {
            checkNotBuilt();
            this.statementTimeout = statement;
            this.lockTimeout = lock;
            return this;
        }

        /**
         * Validates the configuration, migrates if asked, checks the runtime role, and seals this
         * builder.
         *
         * @return the started Sentinel
         * @throws ConfigurationException naming the setting and the fix, also for a Prisma history
         *     that cannot be applied (found before anything is migrated)
         * @throws MigrationFailedException if a migration fails
         * @throws UnsafeRoleException if the runtime role could bypass row-level security
         * @throws SecretKeyException if a secret key's material is not the one that sealed data in
         *     this database under the same id
         */
        public Sentinel build() {
            checkNotBuilt();
            validate();
            built = true;
            QuietLogs.apply();
            extensions.seal();
            HikariDataSource ownedPool = dataSource == null ? pool() : null;
            DataSource runtime = ownedPool != null ? ownedPool : dataSource;
            try {
                if (migrationDataSource != null) {
                    migrate();
                }
                checkRole(runtime);
                warnOfRoleSettings(runtime);
                if (systemDataSource != null) {
                    checkSystemRole(systemDataSource);
                    warnOfRoleSettings(systemDataSource);
                }
            } catch (RuntimeException e) {
                if (ownedPool != null) {
                    ownedPool.close();
                }
                throw e;
            }
            Settings settings = new Settings();
            jooqSettings.accept(settings);
            List<ExecuteListenerProvider> listeners = new ArrayList<>();
            listeners.add(new DefaultExecuteListenerProvider(new TextGuard()));
            listeners.add(new DefaultExecuteListenerProvider(new ErrorTranslator()));
            listeners.addAll(executeListeners);
            Configuration jooq = new DefaultConfiguration()
                    .set(SQLDialect.POSTGRES)
                    .set(settings.withRenderCatalog(false))
                    .set(listeners.toArray(ExecuteListenerProvider[]::new));
            SecretCipher cipher = SecretCipher.of(secretKeys);
            MicrometerObserver metrics = meterRegistry == null ? null : MicrometerObserver.create(meterRegistry, auditKey != null);
            Observer observer = metrics == null ? Observer.NONE : metrics;
            SessionPins pins = SessionPins.of(serviceSchema).withTimeouts(statementTimeout, lockTimeout)
                    .withCitus(ClusterCheck.isCitus(runtime));
            Sentinel sentinel = new Sentinel(new TransactionRunner(runtime, systemDataSource, jooq, clock, cipher, extensions, pins,
                    observer), runtime, systemDataSource, roles, ownedPool, clock, auditKey, retiredAuditKeys, sealEvery, lockoutPolicy, cipher, observer,
                    auditSigningKey, retiredPublicKeys, tenantTables());
            if (metrics != null && systemDataSource != null) { // the gauges read across tenants, in the system scope
                metrics.startGauges(sentinel.system(JobQueueImpl.ACTOR), sentinel.jobQueue());
            }
            if (cipher != null) {
                try {
                    SecretKeyChecks.verify(sentinel.system(SecretRotationImpl.ACTOR), cipher);
                } catch (RuntimeException e) {
                    sentinel.close();
                    throw e;
                }
            }
            return sentinel;
        }

        private void validate() {
            if (dataSource == null && jdbcUrl == null) {
                throw new ConfigurationException("Sentinel: no runtime connections; call dataSource(appDataSource)"
                        + " or jdbcUrl(url, \"sentinel_app\", password)");
            }
            if (dataSource != null && jdbcUrl != null) {
                throw new ConfigurationException("Sentinel: both dataSource and jdbcUrl are set; keep one");
            }
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new ConfigurationException("Sentinel: jdbcUrl must start with jdbc:postgresql:");
            }
            if (jdbcUrl != null && (user == null || user.isBlank())) {
                throw new ConfigurationException("Sentinel: jdbcUrl needs the user of the application role, e.g. sentinel_app");
            }
            if (maximumPoolSize < 1 || maximumPoolSize > 1000) {
                throw new ConfigurationException("Sentinel: maximumPoolSize " + maximumPoolSize + " is outside 1..1000");
            }
            if (!serviceMigrations.isEmpty() && migrationDataSource == null) {
                throw new ConfigurationException("Sentinel: serviceMigrations are set but migrateWith(ownerDataSource) is not;"
                        + " set it, or apply the migrations another way and drop serviceMigrations");
            }
            if (sealEvery != null && (auditKey == null || sealEvery.toMillis() < 1000)) {
                throw new ConfigurationException("Sentinel: sealAuditEvery needs auditKey(...) and an interval of at least 1 s");
            }
            if (sealEvery != null && systemDataSource == null) {
                throw new ConfigurationException("Sentinel: sealAuditEvery seals in the system scope, which runs on its own"
                        + " connections; call systemDataSource(systemDataSource) with connections as the system role ("
                        + roles.system() + ")");
            }
            if (secretKeys != null && systemDataSource == null) {
                throw new ConfigurationException("Sentinel: secretKeys are checked against the database in the system scope at"
                        + " build(), which runs on its own connections; call systemDataSource(systemDataSource) with"
                        + " connections as the system role (" + roles.system() + ")");
            }
            if (auditSigningKey != null && auditKey == null || retiredPublicKeys.contains(null)) {
                throw new ConfigurationException("Sentinel: auditSigningKey signs checkpoints of the audit chain, which needs"
                        + " auditKey(...) too; and no retired public key may be null");
            }
            TenantExporter.checkTables(tenantTables());
            if (statementTimeout == null || statementTimeout.isNegative() || lockTimeout == null || lockTimeout.isNegative()) {
                throw new ConfigurationException("Sentinel: timeouts(" + statementTimeout + ", " + lockTimeout + ") must be"
                        + " zero (no timeout) or positive; omit the call for no timeouts");
            }
            if (roles == null || clock == null || serviceSchema == null) {
                throw new ConfigurationException("Sentinel: roles, clock and serviceSchema must not be null; omit the call for the default");
            }
        }

        private List<Table<?>> tenantTables() {
            List<Table<?>> tables = new ArrayList<>();
            for (SentinelModule module : modules) {
                tables.addAll(module.tenantTables());
            }
            tables.addAll(serviceTenantTables);
            return tables;
        }

        private HikariDataSource pool() {
            HikariConfig config = new HikariConfig();
            config.setPoolName("sentinel");
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(maximumPoolSize);
            // Sentinel begins and ends every transaction itself.
            config.setAutoCommit(false);
            return new HikariDataSource(config);
        }

        private void migrate() {
            try {
                Migrations.Builder migrations = Migrations.builder(migrationDataSource)
                        .roles(roles)
                        .serviceLocations(serviceMigrations.toArray(String[]::new))
                        .serviceSchema(serviceSchema)
                        .placeholders(placeholders);
                for (SentinelModule module : modules) {
                    migrations.module(new Migrations.Layer(module.schema(), module.migrationLocations()));
                }
                Migrations.Result result = migrations.build().migrate();
                LOG.info("Migrations applied: {} of Sentinel's, {} of its modules', {} of the service's",
                        result.sentinelApplied(), result.modulesApplied(), result.serviceApplied());
            } catch (InvalidMigrationSourceException e) {
                // Checked before anything was applied: a wrong location, not a failed migration.
                throw new ConfigurationException("Sentinel: serviceMigrations: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new MigrationFailedException("Migrate-on-start failed, so Sentinel did not start: " + e.getMessage(), e);
            }
        }

        private void checkRole(DataSource runtime) {
            List<String> problems = RoleCheck.problems(runtime, roles);
            if (problems.size() == 1) {
                return;
            }
            String message = "The runtime role " + problems.getFirst() + " " + String.join(", ", problems.subList(1, problems.size()))
                    + ", so row-level security would not protect tenants from each other. Connect as the application role ("
                    + roles.app() + "), which the role bootstrap script creates safe";
            if (!allowUnsafeRuntimeRole) {
                throw new UnsafeRoleException(message + "; or, knowing why, set allowUnsafeRuntimeRole(true).");
            }
            LOG.warn("{} (allowed by allowUnsafeRuntimeRole).", message);
        }

        private void checkSystemRole(DataSource system) {
            List<String> problems = RoleCheck.problems(system, roles, false);
            if (problems.size() == 1) {
                return;
            }
            String message = "The system data source's role " + problems.getFirst() + " "
                    + String.join(", ", problems.subList(1, problems.size()))
                    + ". Connect systemDataSource as the system role (" + roles.system() + "), which the role bootstrap script"
                    + " creates safe, or name yours with roles(new Roles(owner, app, system))";
            if (!allowUnsafeRuntimeRole) {
                throw new UnsafeRoleException(message + ".");
            }
            LOG.warn("{} (allowed by allowUnsafeRuntimeRole).", message);
        }

        /**
         * Defaults that reach the runtime role's sessions are pinned away in every transaction, so
         * they are not fatal; but the role itself may have set them, and other connections inherit them.
         */
        private static void warnOfRoleSettings(DataSource runtime) {
            for (String problem : RoleSettingsCheck.problems(runtime)) {
                LOG.warn("Sentinel: {}", problem);
            }
        }

        private void checkNotBuilt() {
            if (built) {
                throw new ConfigurationException("Sentinel.Builder: already built; its configuration is sealed. Start a new builder.");
            }
        }
    }
}
