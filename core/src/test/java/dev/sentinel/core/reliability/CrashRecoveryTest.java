package dev.sentinel.core.reliability;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.CrashablePostgres;
import dev.sentinel.core.support.QuietLogs;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.schema.Roles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL crashes under load and comes back; the service does not restart. A private embedded
 * server (not the shared test server, which other classes use) runs with
 * {@code synchronous_commit=on} and {@code fsync=on} (zonky's defaults are off). Writer threads
 * insert through one {@link Sentinel} and record each transaction by its outcome. Twice, once the
 * writers have committed 100 transactions on the current server, the test kills the postmaster and
 * every backend with SIGKILL (harsher than {@code pg_ctl -m immediate}: nothing of PostgreSQL's
 * shutdown runs), then starts a new server on the same data directory and port, which replays the
 * WAL, and waits (up to a minute) for the writers to commit 100 transactions on it. Afterwards every transaction reported committed is there; none
 * that failed with {@link ConnectionLostException} before its COMMIT is; those lost during COMMIT
 * (outcome unknown) are counted either way; and the same Sentinel, whose pool reconnects by
 * itself, commits again after each restart.
 *
 * <p>What this cannot show: a crash of the machine itself. Data that PostgreSQL had handed to the
 * kernel survives a process crash whether or not it reached the disk; {@code fsync=on} is what
 * covers a power loss, and this test turns it on but cannot pull the plug.
 */
class CrashRecoveryTest {

    private static final Roles ROLES = CrashablePostgres.ROLES;
    private static final String DATABASE = "crash_recovery";
    private static final int WRITERS = 4;
    private static final int CRASHES = 2;
    /** Commits to see in each phase: before the first crash, and after each restart before the next. */
    private static final int COMMITS_PER_PHASE = 100;
    /** How long the service may take to commit again after a restart; HikariCP retries with a backoff of up to 5 s. */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);
    private static final Actor WRITER = Actor.service("crash-writer");

    private final Set<String> committed = ConcurrentHashMap.newKeySet();
    private final Set<String> lostBeforeCommit = ConcurrentHashMap.newKeySet();
    private final Set<String> lostDuringCommit = ConcurrentHashMap.newKeySet();
    private final List<Throwable> unexpected = new ArrayList<>();
    /** Incremented at each restart; a commit reported in epoch n ran on the n-th restarted server. */
    private final AtomicInteger epoch = new AtomicInteger();
    private final AtomicLong[] commitsByEpoch = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final long[] recoveryMillis = new long[CRASHES + 1];
    private volatile boolean stop;

    @Test
    void noTransactionReportedCommittedIsLostAndTheSameSentinelRecovers(@TempDir Path scratch) throws Exception {
        CrashablePostgres server = CrashablePostgres.start(scratch.resolve("data"), DATABASE);
        Sentinel sentinel = Sentinel.builder()
                .jdbcUrl(server.jdbcUrl(), ROLES.app(), CrashablePostgres.PASSWORD)
                .systemDataSource(server.dataSource(ROLES.system()))
                .maximumPoolSize(WRITERS)
                .migrateWith(server.dataSource(ROLES.owner()))
                .serviceMigrations("classpath:db/test-service")
                .build();
        try (QuietLogs quiet = QuietLogs.errorsOnly("com.zaxxer.hikari")) {
            String durability = sentinel.system(WRITER).inTransaction(tx -> tx.dsl().fetchValue(
                    DSL.field("current_setting('synchronous_commit') || ',' || current_setting('fsync')", String.class)));
            assertThat(durability).describedAs("durability settings of the server under test").isEqualTo("on,on");
            UUID tenant = Tenants.create(sentinel);

            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread thread = new Thread(() -> write(sentinel, tenant, writer), "crash-writer-" + w);
                writers.add(thread);
                thread.start();
            }
            for (int crash = 1; crash <= CRASHES; crash++) {
                awaitCommits(crash - 1);
                server.crash();
                server.restart();
                long restarted = System.nanoTime();
                epoch.incrementAndGet();
                awaitCommits(crash);
                recoveryMillis[crash] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
            }
            stop = true;
            for (Thread thread : writers) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(thread.isAlive()).describedAs(thread.getName() + " finished").isFalse();
            }
            assertThat(unexpected).describedAs("failures other than a lost connection").isEmpty();

            Set<String> present = new HashSet<>(sentinel.system(WRITER)
                    .inTransaction(tx -> tx.dsl().select(WIDGETS.NAME).from(WIDGETS).where(WIDGETS.TENANT_ID.eq(tenant)).fetch(WIDGETS.NAME)));
            assertThat(committed).isNotEmpty();
            assertThat(committed.stream().filter(name -> !present.contains(name)).sorted().toList())
                    .describedAs("transactions reported committed (of %d) but missing after %d crashes", committed.size(), CRASHES)
                    .isEmpty();
            assertThat(lostBeforeCommit.stream().filter(present::contains).sorted().toList())
                    .describedAs("transactions that failed before COMMIT (of %d) but are present", lostBeforeCommit.size())
                    .isEmpty();
            assertThat(present.stream().filter(name -> !committed.contains(name) && !lostDuringCommit.contains(name)).sorted().toList())
                    .describedAs("rows that no transaction reported or left in doubt")
                    .isEmpty();
            long inDoubtCommitted = lostDuringCommit.stream().filter(present::contains).count();
            System.out.println("CrashRecoveryTest: " + CRASHES + " crashes (SIGKILL of every PostgreSQL process) under "
                    + WRITERS + " writers, synchronous_commit=on: " + committed.size() + " transactions reported committed, all"
                    + " present after recovery; " + lostBeforeCommit.size() + " failed before COMMIT with ConnectionLostException,"
                    + " none present; " + lostDuringCommit.size() + " lost during COMMIT (outcome unknown), " + inDoubtCommitted
                    + " of them committed; the same Sentinel committed again after each restart (" + COMMITS_PER_PHASE
                    + " commits reached after " + recoveryMillis[1] + " ms and " + recoveryMillis[2] + " ms)");
        } finally {
            stop = true;
            sentinel.close();
            server.close();
        }
    }

    /** Waits until the writers have committed {@link #COMMITS_PER_PHASE} transactions in this epoch. */
    private void awaitCommits(int phase) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        while (commitsByEpoch[phase].get() < COMMITS_PER_PHASE) {
            synchronized (unexpected) {
                assertThat(unexpected).describedAs("failures other than a lost connection").isEmpty();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The same Sentinel committed only " + commitsByEpoch[phase].get() + " transactions in the "
                        + RECOVERY_LIMIT.toSeconds() + " s after " + (phase == 0 ? "start" : "restart " + phase)
                        + "; it should reconnect by itself");
            }
            Thread.sleep(10);
        }
    }

    private void write(Sentinel sentinel, UUID tenant, int writer) {
        for (int seq = 0; !stop; seq++) {
            String name = "w" + writer + "-" + seq;
            try {
                sentinel.tenant(tenant, WRITER).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName(name)));
                committed.add(name);
                commitsByEpoch[epoch.get()].incrementAndGet();
            } catch (ConnectionLostException e) {
                (e.duringCommit() ? lostDuringCommit : lostBeforeCommit).add(name);
            } catch (RuntimeException e) {
                synchronized (unexpected) {
                    unexpected.add(e);
                }
                return;
            }
        }
    }
}
