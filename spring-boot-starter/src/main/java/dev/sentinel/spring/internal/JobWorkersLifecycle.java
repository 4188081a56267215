package dev.sentinel.spring.internal;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.jobs.JobHandler;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.spring.SentinelJob;
import dev.sentinel.spring.SentinelProperties;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Starts job workers for the {@link SentinelJob} handler beans once the context is refreshed, and
 * drains them when it closes: no new claims, running handlers get {@code sentinel.jobs.shutdown-timeout}
 * to finish, the rest go back to the queue. It stops in an early phase, before the web server and
 * the DataSource go. Thread-safe.
 */
public final class JobWorkersLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorkersLifecycle.class);

    private final Sentinel sentinel;
    private final SentinelProperties.Jobs properties;
    private final ApplicationContext context;
    private volatile JobWorkers workers;

    /**
     * Creates the lifecycle.
     *
     * @param sentinel the Sentinel whose queue to work
     * @param properties the workers' properties
     * @param context where the handler beans are
     */
    public JobWorkersLifecycle(Sentinel sentinel, SentinelProperties.Jobs properties, ApplicationContext context) {
        this.sentinel = sentinel;
        this.properties = properties;
        this.context = context;
    }

    @Override
    public synchronized void start() {
        if (workers != null || !properties.isEnabled()) {
            return;
        }
        Map<String, Object> beans = context.getBeansWithAnnotation(SentinelJob.class);
        if (beans.isEmpty()) {
            return;
        }
        JobWorkers.Builder builder = JobWorkers.builder(sentinel).pollInterval(properties.getPollInterval());
        beans.forEach((name, bean) -> {
            SentinelJob job = AnnotationUtils.findAnnotation(AopUtils.getTargetClass(bean), SentinelJob.class);
            if (!(bean instanceof JobHandler handler)) {
                throw new ConfigurationException("@SentinelJob(\"" + job.value() + "\") is on bean '" + name
                        + "', which is not a JobHandler; implement dev.sentinel.core.jobs.JobHandler");
            }
            builder.handler(job.value(), handler);
        });
        properties.getQueues().forEach(builder::queue);
        workers = builder.start();
        LOG.info("Sentinel job workers started: {} handler(s), queues {}", beans.size(), properties.getQueues());
    }

    @Override
    public synchronized void stop() {
        JobWorkers running = workers;
        if (running == null) {
            return;
        }
        workers = null;
        int released = running.shutdown(properties.getShutdownTimeout());
        LOG.info("Sentinel job workers stopped{}", released == 0 ? "" : "; " + released + " unfinished job(s) went back to the queue");
    }

    @Override
    public boolean isRunning() {
        return workers != null;
    }

    /**
     * Stops before the web server's graceful shutdown phase ends and long before the DataSource
     * closes, and starts after it.
     *
     * @return the phase
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
