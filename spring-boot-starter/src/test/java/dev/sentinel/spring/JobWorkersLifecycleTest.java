package dev.sentinel.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobHandler;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.spring.internal.JobWorkersLifecycle;
import dev.sentinel.testing.SentinelDatabase;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @SentinelJob} beans are run by workers that start with the context, and closing the context
 * drains them: a handler that is running when the close begins finishes, and its job succeeds
 * rather than going back to the queue.
 */
class JobWorkersLifecycleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor ADMIN = Actor.service("admin");
    static final CountDownLatch started = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);

    /** A handler that waits until the test lets it finish. */
    @SentinelJob("reports.slow")
    static class SlowReport implements JobHandler {
        @Override
        public JobOutcome handle(dev.sentinel.core.Tx tx, Job job) throws Exception {
            started.countDown();
            assertThat(release.await(2, TimeUnit.MINUTES)).isTrue();
            return JobOutcome.done("{\"drained\": true}");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        SlowReport slowReport() {
            return new SlowReport();
        }
    }

    @Test
    void closingTheContextLetsTheRunningHandlerFinish() throws Exception {
        StarterFixture.runner(db).withUserConfiguration(Handlers.class)
                .withPropertyValues("sentinel.jobs.poll-interval=100ms", "sentinel.jobs.shutdown-timeout=2m")
                .run(context -> {
                    Sentinel sentinel = context.getBean(Sentinel.class);
                    JobWorkersLifecycle workers = context.getBean(JobWorkersLifecycle.class);
                    assertThat(workers.isRunning()).isTrue();
                    UUID tenant = UUID.randomUUID();
                    sentinel.system(ADMIN).useTransaction(tx -> tx.dsl()
                            .execute("insert into sentinel.tenants (id, slug, name) values (?, ?, 'Slow')", tenant, "slow-" + tenant));
                    UUID jobId = sentinel.tenant(tenant, ADMIN).inTransaction(tx -> tx.jobs().enqueue("reports.slow", "{}").job().id());
                    assertThat(started.await(2, TimeUnit.MINUTES)).describedAs("the handler started").isTrue();

                    Thread closing = new Thread(() -> ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close());
                    closing.start();
                    // Let the handler finish only once the close has begun stopping the workers.
                    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    while (workers.isRunning() && System.nanoTime() < giveUp) {
                        Thread.sleep(10);
                    }
                    assertThat(workers.isRunning()).describedAs("the close stopped the workers").isFalse();
                    release.countDown();
                    closing.join(TimeUnit.MINUTES.toMillis(3));

                    assertThat(closing.isAlive()).isFalse();
                    try (Sentinel reader = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
                        Job job = reader.tenant(tenant, ADMIN).inTransaction(tx -> tx.jobs().get(jobId).orElseThrow());
                        assertThat(job.state()).describedAs("drained, not released back to the queue").isEqualTo(JobState.SUCCEEDED);
                        assertThat(job.result()).contains("drained");
                    }
                });
    }
}
