package dev.sentinel.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean that implements {@link dev.sentinel.core.jobs.JobHandler} as the handler of a job
 * type. The starter starts job workers for the handler beans once the context is refreshed and
 * drains them when it closes ({@code sentinel.jobs.*}).
 *
 * <pre>{@code
 * @Component
 * @SentinelJob("notes.index")
 * class IndexNote implements JobHandler {
 *     public JobOutcome handle(Tx tx, Job job) { ...; return JobOutcome.done(); }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SentinelJob {

    /**
     * The job type, such as {@code notes.index}.
     *
     * @return the type
     */
    String value();
}
