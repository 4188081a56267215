package dev.sentinel.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code sentinel.*} properties. The runtime connections are Boot's own
 * {@code spring.datasource.*}, as the application role; everything else is here.
 *
 * <pre>
 * spring.datasource.url=jdbc:postgresql://db:5432/app
 * spring.datasource.username=sentinel_app
 * sentinel.system.username=sentinel_system        # the system scope's own pool
 * sentinel.system.password=${SYSTEM_PASSWORD}
 * sentinel.owner.username=sentinel_owner          # migrations, over a direct connection
 * sentinel.owner.password=${OWNER_PASSWORD}
 * sentinel.service-migrations=classpath:db/migration
 * sentinel.jobs.queues.default=4
 * </pre>
 *
 * <p>Not thread-safe; Boot binds it once at start-up.
 */
@ConfigurationProperties("sentinel")
public class SentinelProperties {

    private final Owner owner = new Owner();
    private final SystemPool system = new SystemPool();
    private final RoleNames roles = new RoleNames();
    private List<String> serviceMigrations = new ArrayList<>();
    private String serviceSchema = "public";
    private final Audit audit = new Audit();
    private List<Key> secretKeys = new ArrayList<>();
    private final Jobs jobs = new Jobs();
    private final Web web = new Web();
    private final Health health = new Health();

    /** Creates the defaults; Boot binds the properties onto them. */
    public SentinelProperties() {
    }

    /**
     * The system scope's own pool ({@code sentinel.system.*}).
     *
     * @return the system group
     */
    public SystemPool getSystem() {
        return system;
    }

    /**
     * The owner's connection.
     *
     * @return the owner group
     */
    public Owner getOwner() {
        return owner;
    }

    /**
     * The role names.
     *
     * @return their properties
     */
    public RoleNames getRoles() {
        return roles;
    }

    /**
     * Flyway locations of the service's own migrations, applied after Sentinel's; default none.
     *
     * @return the locations
     */
    public List<String> getServiceMigrations() {
        return serviceMigrations;
    }

    /**
     * Sets the service's migration locations.
     *
     * @param serviceMigrations such as {@code classpath:db/migration}
     */
    public void setServiceMigrations(List<String> serviceMigrations) {
        this.serviceMigrations = serviceMigrations;
    }

    /**
     * The schema of the service's migrations; default {@code public}.
     *
     * @return the schema
     */
    public String getServiceSchema() {
        return serviceSchema;
    }

    /**
     * Sets the schema of the service's migrations.
     *
     * @param serviceSchema the schema
     */
    public void setServiceSchema(String serviceSchema) {
        this.serviceSchema = serviceSchema;
    }

    /**
     * The audit chain's key and sealing.
     *
     * @return its properties
     */
    public Audit getAudit() {
        return audit;
    }

    /**
     * The keys of {@code sentinel:secret} columns, the primary (sealing) key first; default none.
     *
     * @return the keys
     */
    public List<Key> getSecretKeys() {
        return secretKeys;
    }

    /**
     * Sets the secret keys.
     *
     * @param secretKeys the keys, primary first
     */
    public void setSecretKeys(List<Key> secretKeys) {
        this.secretKeys = secretKeys;
    }

    /**
     * The job workers.
     *
     * @return their properties
     */
    public Jobs getJobs() {
        return jobs;
    }

    /**
     * The web integration.
     *
     * @return its properties
     */
    public Web getWeb() {
        return web;
    }

    /**
     * The health indicator's thresholds.
     *
     * @return its properties
     */
    public Health getHealth() {
        return health;
    }

    /**
     * A direct connection as the owner role, which runs the migrations at start-up. Without a
     * username, nothing is migrated (the schema is migrated another way, such as a deploy step).
     */
    public static class Owner {
        private String url;
        private String username;
        private String password;
        private boolean migrate = true;

        /** Creates the defaults; Boot binds the properties onto them. */
        public Owner() {
        }

        /**
         * The JDBC URL; default {@code spring.datasource.url}, which must then be direct (not a
         * transaction pooler: Flyway holds a session lock).
         *
         * @return the URL, or {@code null}
         */
        public String getUrl() {
            return url;
        }

        /**
         * Sets the JDBC URL.
         *
         * @param url the URL
         */
        public void setUrl(String url) {
            this.url = url;
        }

        /**
         * The owner role's user name, such as {@code sentinel_owner}.
         *
         * @return the user name, or {@code null} to not migrate
         */
        public String getUsername() {
            return username;
        }

        /**
         * Sets the user name.
         *
         * @param username the user name
         */
        public void setUsername(String username) {
            this.username = username;
        }

        /**
         * The owner role's password; never logged.
         *
         * @return the password, or {@code null}
         */
        public String getPassword() {
            return password;
        }

        /**
         * Sets the password.
         *
         * @param password the password
         */
        public void setPassword(String password) {
            this.password = password;
        }

        /**
         * Whether to migrate at start-up when a username is set; default {@code true}.
         *
         * @return whether to migrate
         */
        public boolean isMigrate() {
            return migrate;
        }

        /**
         * Sets whether to migrate at start-up.
         *
         * @param migrate whether to migrate
         */
        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }
    }

    /**
     * The system scope's own pool, as the system role ({@code sentinel_system}): tenant and user
     * administration, sign-in, the job queue's claims, audit sealing and secret key checks run on it
     * ({@code Sentinel.Builder.systemDataSource}). Without a username there is none, and a
     * system-scope operation (a job claim among them) fails with {@code ConfigurationException}.
     */
    public static class SystemPool {
        private String url;
        private String username;
        private String password;
        private int maximumPoolSize = 4;

        /** Creates the defaults; Boot binds the properties onto them. */
        public SystemPool() {
        }

        /**
         * The JDBC URL; default {@code spring.datasource.url} (a transaction pooler is fine).
         *
         * @return the URL, or {@code null}
         */
        public String getUrl() {
            return url;
        }

        /**
         * Sets the JDBC URL.
         *
         * @param url the URL
         */
        public void setUrl(String url) {
            this.url = url;
        }

        /**
         * The system role's user name, such as {@code sentinel_system}.
         *
         * @return the user name, or {@code null} for no system pool
         */
        public String getUsername() {
            return username;
        }

        /**
         * Sets the user name.
         *
         * @param username the user name
         */
        public void setUsername(String username) {
            this.username = username;
        }

        /**
         * The system role's password; never logged.
         *
         * @return the password, or {@code null}
         */
        public String getPassword() {
            return password;
        }

        /**
         * Sets the password.
         *
         * @param password the password
         */
        public void setPassword(String password) {
            this.password = password;
        }

        /**
         * The pool's size; default 4 (claims and seals hold a connection briefly).
         *
         * @return the size
         */
        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        /**
         * Sets the pool's size.
         *
         * @param maximumPoolSize the size
         */
        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }
    }

    /**
     * The role names, when not the defaults {@code sentinel_owner}, {@code sentinel_app} and
     * {@code sentinel_system}.
     */
    public static class RoleNames {
        private String owner = "sentinel_owner";
        private String app = "sentinel_app";
        private String system = "sentinel_system";

        /** Creates the defaults; Boot binds the properties onto them. */
        public RoleNames() {
        }

        /**
         * The owner role.
         *
         * @return its name
         */
        public String getOwner() {
            return owner;
        }

        /**
         * Sets the owner role.
         *
         * @param owner its name
         */
        public void setOwner(String owner) {
            this.owner = owner;
        }

        /**
         * The application role.
         *
         * @return its name
         */
        public String getApp() {
            return app;
        }

        /**
         * Sets the application role.
         *
         * @param app its name
         */
        public void setApp(String app) {
            this.app = app;
        }

        /**
         * The system role.
         *
         * @return its name
         */
        public String getSystem() {
            return system;
        }

        /**
         * Sets the system role.
         *
         * @param system its name
         */
        public void setSystem(String system) {
            this.system = system;
        }
    }

    /** A key given as an id and its material in Base64, from the service's secret store. */
    public static class Key {
        private String id;
        private String base64;

        /** Creates the defaults; Boot binds the properties onto them. */
        public Key() {
        }

        /**
         * The key's id.
         *
         * @return the id
         */
        public String getId() {
            return id;
        }

        /**
         * Sets the id.
         *
         * @param id the id
         */
        public void setId(String id) {
            this.id = id;
        }

        /**
         * The key's material, Base64; never logged.
         *
         * @return the material
         */
        public String getBase64() {
            return base64;
        }

        /**
         * Sets the material.
         *
         * @param base64 the material, Base64
         */
        public void setBase64(String base64) {
            this.base64 = base64;
        }
    }

    /** The audit chain: its key, and how often to seal in the background. */
    public static class Audit {
        private Key key;
        private Duration sealEvery;

        /** Creates the defaults; Boot binds the properties onto them. */
        public Audit() {
        }

        /**
         * The current audit key; without it the chain is not sealed.
         *
         * @return the key, or {@code null}
         */
        public Key getKey() {
            return key;
        }

        /**
         * Sets the audit key.
         *
         * @param key the key
         */
        public void setKey(Key key) {
            this.key = key;
        }

        /**
         * The sealing interval; default none (seal with {@code auditChain().sealAll()}).
         *
         * @return the interval, or {@code null}
         */
        public Duration getSealEvery() {
            return sealEvery;
        }

        /**
         * Sets the sealing interval.
         *
         * @param sealEvery at least one second
         */
        public void setSealEvery(Duration sealEvery) {
            this.sealEvery = sealEvery;
        }
    }

    /** The job workers, started with the context when a {@code @SentinelJob} handler bean exists. */
    public static class Jobs {
        private boolean enabled = true;
        private Map<String, Integer> queues = new LinkedHashMap<>(Map.of("default", 2));
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        /** Creates the defaults; Boot binds the properties onto them. */
        public Jobs() {
        }

        /**
         * Whether to run workers in this instance; default {@code true}.
         *
         * @return whether workers run
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether workers run.
         *
         * @param enabled whether workers run
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The queues and their concurrency; default {@code default=2}. Size the connection pool at
         * least {@code sum(concurrency) + queues + 1} beyond what requests use.
         *
         * @return the queues
         */
        public Map<String, Integer> getQueues() {
            return queues;
        }

        /**
         * Sets the queues.
         *
         * @param queues name to concurrency
         */
        public void setQueues(Map<String, Integer> queues) {
            this.queues = queues;
        }

        /**
         * The wait between claims when a queue ran dry; default 1 second.
         *
         * @return the interval
         */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /**
         * Sets the poll interval.
         *
         * @param pollInterval the interval
         */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        /**
         * How long running handlers may take to finish when the context closes; default 30 seconds.
         * Jobs still running then go back to the queue.
         *
         * @return the timeout
         */
        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        /**
         * Sets the shutdown timeout.
         *
         * @param shutdownTimeout the timeout
         */
        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    /** The web integration: where the default {@link TenantResolver} reads a request's tenant and user. */
    public static class Web {
        private String tenantHeader = "X-Tenant-Id";
        private String userHeader = "X-User-Id";
        private String requestIdHeader = "X-Request-Id";

        /** Creates the defaults; Boot binds the properties onto them. */
        public Web() {
        }

        /**
         * The header holding the tenant's id; default {@code X-Tenant-Id}.
         *
         * @return the header name
         */
        public String getTenantHeader() {
            return tenantHeader;
        }

        /**
         * Sets the tenant header.
         *
         * @param tenantHeader the header name
         */
        public void setTenantHeader(String tenantHeader) {
            this.tenantHeader = tenantHeader;
        }

        /**
         * The header holding the acting user's id; default {@code X-User-Id}.
         *
         * @return the header name
         */
        public String getUserHeader() {
            return userHeader;
        }

        /**
         * Sets the user header.
         *
         * @param userHeader the header name
         */
        public void setUserHeader(String userHeader) {
            this.userHeader = userHeader;
        }

        /**
         * The header whose value, when well-formed, becomes the transaction's request id; default
         * {@code X-Request-Id}.
         *
         * @return the header name
         */
        public String getRequestIdHeader() {
            return requestIdHeader;
        }

        /**
         * Sets the request id header.
         *
         * @param requestIdHeader the header name
         */
        public void setRequestIdHeader(String requestIdHeader) {
            this.requestIdHeader = requestIdHeader;
        }
    }

    /** When the health indicator reports the job queue or the audit chain as behind. */
    public static class Health {
        private Duration maxJobDelay = Duration.ofMinutes(5);
        private Duration maxSealLag = Duration.ofMinutes(15);

        /** Creates the defaults; Boot binds the properties onto them. */
        public Health() {
        }

        /**
         * The longest a due job may wait before the indicator says so; default 5 minutes.
         *
         * @return the delay
         */
        public Duration getMaxJobDelay() {
            return maxJobDelay;
        }

        /**
         * Sets the longest job delay.
         *
         * @param maxJobDelay the delay
         */
        public void setMaxJobDelay(Duration maxJobDelay) {
            this.maxJobDelay = maxJobDelay;
        }

        /**
         * The oldest an unsealed audit row may be before the indicator says so; default 15 minutes.
         *
         * @return the lag
         */
        public Duration getMaxSealLag() {
            return maxSealLag;
        }

        /**
         * Sets the longest seal lag.
         *
         * @param maxSealLag the lag
         */
        public void setMaxSealLag(Duration maxSealLag) {
            this.maxSealLag = maxSealLag;
        }
    }
}
