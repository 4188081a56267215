package dev.sentinel.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.envers.RevisionEntity;
import org.hibernate.envers.RevisionListener;
import org.hibernate.envers.RevisionNumber;
import org.hibernate.envers.RevisionTimestamp;

/**
 * Envers' revision row, extended as Envers' documentation shows with who made the change and the
 * request it belonged to (what Sentinel's audit rows carry as {@code actor_id} and
 * {@code request_id}). The numbers come from a sequence in blocks of 50 (Hibernate's pooled
 * optimizer), so a revision rarely costs a round trip for its id.
 */
@Entity
@Table(name = "hib_revisions")
@RevisionEntity(HibernateRevision.Listener.class)
class HibernateRevision {

    /** The actor and request of the transaction on this thread, set by {@link HibernateNotes}. */
    static final ThreadLocal<HibernateRevision> CURRENT = new ThreadLocal<>();

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hib_revisions_seq")
    @SequenceGenerator(name = "hib_revisions_seq", sequenceName = "hib_revisions_seq", allocationSize = 50)
    @RevisionNumber
    private long id;

    @RevisionTimestamp
    private long timestamp;

    @Column(name = "actor_id")
    private UUID actorId;

    @Column(name = "request_id")
    private String requestId;

    /** For Hibernate. */
    protected HibernateRevision() {
    }

    static HibernateRevision context(UUID actorId, String requestId) {
        HibernateRevision context = new HibernateRevision();
        context.actorId = actorId;
        context.requestId = requestId;
        return context;
    }

    /** Copies the thread's actor and request into each new revision. */
    public static final class Listener implements RevisionListener {

        /** For Envers. */
        public Listener() {
        }

        /**
         * Fills a new revision.
         *
         * @param revision the revision entity Envers is about to insert
         */
        @Override
        public void newRevision(Object revision) {
            HibernateRevision context = CURRENT.get();
            if (context != null && revision instanceof HibernateRevision row) {
                row.actorId = context.actorId;
                row.requestId = context.requestId;
            }
        }
    }
}
