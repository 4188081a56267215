package dev.sentinel.spring.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.internal.RoleCheck;
import dev.sentinel.core.jobs.JobStats;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.spring.SentinelProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jooq.Record;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Sentinel's health: DOWN when the database cannot be reached, when the runtime role could bypass
 * row-level security, or when the kernel's migrations in the database are behind (or ahead of) the
 * ones this version ships; otherwise UP, with the job backlog and the audit chain's seal lag as
 * details, and a {@code warnings} detail when either is over its threshold
 * ({@code sentinel.health.*}): a backlog slows a service but does not make an instance unfit for
 * traffic. Thread-safe.
 */
public final class SentinelHealthIndicator extends AbstractHealthIndicator {

    private static final Actor ACTOR = Actor.service("health");
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    private final Sentinel sentinel;
    private final DataSource dataSource;
    private final Roles roles;
    private final SentinelProperties.Health thresholds;
    private final boolean sealed;
    private final int shippedVersion;

    /**
     * Creates the indicator.
     *
     * @param sentinel the Sentinel
     * @param dataSource its runtime connections
     * @param roles the role names
     * @param thresholds when the backlog and the seal lag are worth a warning
     * @param sealed whether an audit key is configured, so the seal lag matters
     */
    public SentinelHealthIndicator(Sentinel sentinel, DataSource dataSource, Roles roles, SentinelProperties.Health thresholds,
            boolean sealed) {
        super("Sentinel health check failed");
        this.sentinel = sentinel;
        this.dataSource = dataSource;
        this.roles = roles;
        this.thresholds = thresholds;
        this.sealed = sealed;
        this.shippedVersion = shippedKernelVersion();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean down = false;
        List<String> warnings = new ArrayList<>();
        List<String> role = RoleCheck.problems(dataSource, roles);
        builder.withDetail("runtimeRole", role.getFirst());
        if (role.size() > 1) {
            builder.withDetail("runtimeRoleProblems", role.subList(1, role.size()));
            down = true;
        }
        Record history = sentinel.system(ACTOR).inTransaction(tx -> tx.dsl().resultQuery(
                "select coalesce(max(version::int), 0) as applied, coalesce(bool_and(success), true) as ok from "
                        + SchemaNames.SCHEMA + "." + SchemaNames.HISTORY_TABLE + " where version is not null").fetchOne());
        int applied = history.get("applied", Integer.class);
        builder.withDetail("migrations", Map.of("applied", applied, "shipped", shippedVersion));
        if (applied != shippedVersion || !history.get("ok", Boolean.class)) {
            down = true;
        }
        JobStats stats = sentinel.jobQueue().stats();
        Duration oldestDue = stats.oldestDueAge().values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("oldestDueSeconds", oldestDue.toSeconds());
        jobs.put("queues", stats.counts());
        builder.withDetail("jobs", jobs);
        if (oldestDue.compareTo(thresholds.getMaxJobDelay()) > 0) {
            warnings.add("a due job has waited " + oldestDue.toSeconds() + " s, longer than sentinel.health.max-job-delay");
        }
        if (sealed) {
            Record backlog = sentinel.system(ACTOR).inTransaction(tx -> tx.dsl().resultQuery("""
                    select count(*) as unsealed, coalesce(extract(epoch from now() - min(a.occurred_at)), 0)::bigint as lag
                      from sentinel.audit_log a
                     where not exists (select 1 from sentinel.audit_chain c where c.tenant_id = a.tenant_id and c.audit_id = a.id)
                    """).fetchOne());
            long lag = backlog.get("lag", Long.class);
            builder.withDetail("audit", Map.of("unsealed", backlog.get("unsealed", Long.class), "sealLagSeconds", lag));
            if (lag > thresholds.getMaxSealLag().toSeconds()) {
                warnings.add("the oldest unsealed audit row is " + lag + " s old, older than sentinel.health.max-seal-lag");
            }
        }
        if (!warnings.isEmpty()) {
            builder.withDetail("warnings", warnings);
        }
        if (down) {
            builder.down();
        } else {
            builder.up();
        }
    }

    /** The highest kernel migration version on the class path, which the database should be at. */
    private static int shippedKernelVersion() {
        try {
            int highest = 0;
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:db/sentinel/V*__*.sql")) {
                Matcher matcher = VERSION.matcher(String.valueOf(resource.getFilename()));
                if (matcher.matches()) {
                    highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
                }
            }
            return highest;
        } catch (IOException e) {
            throw new IllegalStateException("Could not list Sentinel's kernel migrations on the class path: " + e.getMessage(), e);
        }
    }
}
