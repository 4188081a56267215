package dev.sentinel.example.boot;

import static dev.sentinel.example.boot.db.Tables.NOTES;

import dev.sentinel.core.Tx;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobHandler;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.spring.SentinelJob;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Indexes a note after it is written: runs in the note's tenant, under the trace of the request that wrote it. */
@Component
@SentinelJob(IndexNote.TYPE)
public class IndexNote implements JobHandler {

    /** The job type. */
    public static final String TYPE = "notes.index";

    private static final Logger LOG = LoggerFactory.getLogger(IndexNote.class);
    private static final Pattern NOTE = Pattern.compile("\"note\": \"([0-9a-f-]{36})\"");

    @Override
    public JobOutcome handle(Tx tx, Job job) {
        Matcher note = NOTE.matcher(job.payload());
        if (!note.find()) {
            throw new IllegalArgumentException("job " + job.id() + " names no note");
        }
        tx.table(NOTES).find(UUID.fromString(note.group(1)))
                .ifPresent(found -> tx.table(NOTES).update(found.setIndexedAt(tx.now())));
        LOG.info("Indexed note {}", note.group(1));
        return JobOutcome.done();
    }
}
