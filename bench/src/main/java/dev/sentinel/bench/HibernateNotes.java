package dev.sentinel.bench;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;

/**
 * Hibernate ORM 7 on {@code hib_notes}, as a Hibernate user writes it: one session and transaction
 * per operation, opened for the tenant ({@code @TenantId} then fills and filters
 * {@code tenant_id}), {@code @SoftDelete} for soft deletes, Envers for the history (one revision row
 * per transaction naming actor and request, one {@code hib_notes_aud} row per changed entity).
 * Configured as a tuned service would: JDBC batching of 50 with ordered inserts and updates, the
 * pool's auto-commit off and Hibernate told so, the schema validated at start. What it does not
 * have: row-level security (no tenant is set in the database; {@code @TenantId} is the application's
 * filter), and an audit row per mutation (Envers keeps the state per entity and transaction).
 */
final class HibernateNotes extends AbstractNotes<HibernateNote> implements AutoCloseable {

    private final SessionFactory sessions;
    private final UUID tenantId;
    private final UUID userId;

    HibernateNotes(DataSource pool, UUID tenantId, UUID userId) {
        this.sessions = sessionFactory(pool);
        this.tenantId = tenantId;
        this.userId = userId;
    }

    /**
     * The session factory over a pool whose connections have auto-commit off.
     *
     * @param pool the pool
     * @return the factory; close it with the pool
     */
    static SessionFactory sessionFactory(DataSource pool) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting("hibernate.connection.datasource", pool)
                .applySetting("hibernate.connection.provider_disables_autocommit", "true")
                .applySetting("hibernate.jdbc.batch_size", "50")
                .applySetting("hibernate.order_inserts", "true")
                .applySetting("hibernate.order_updates", "true")
                .applySetting("hibernate.hbm2ddl.auto", "validate")
                .applySetting("hibernate.show_sql", "false")
                .applySetting("org.hibernate.envers.audit_table_suffix", "_aud")
                .applySetting("org.hibernate.envers.revision_field_name", "rev")
                .applySetting("org.hibernate.envers.revision_type_field_name", "revtype")
                .build();
        try {
            return new MetadataSources(registry)
                    .addAnnotatedClass(HibernateNote.class)
                    .addAnnotatedClass(HibernateRevision.class)
                    .buildMetadata()
                    .buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

    @Override
    public String name() {
        return "hibernate";
    }

    @Override
    public Object trivialTransaction() {
        return inTransaction(session -> session.createNativeQuery("select 1", Integer.class).getSingleResult());
    }

    @Override
    public Object find() {
        UUID id = nextReadId();
        return inTransaction(session -> session.find(HibernateNote.class, id));
    }

    @Override
    public Object listPage() {
        UUID after = nextPageStart();
        return inTransaction(session -> {
            List<HibernateNote> page = session
                    .createSelectionQuery("from HibernateNote where id > :after order by id", HibernateNote.class)
                    .setParameter("after", after)
                    .setMaxResults(PAGE_SIZE + 1)
                    .getResultList();
            // The extra row only says that a next page exists.
            return page.size() > PAGE_SIZE ? List.copyOf(page.subList(0, PAGE_SIZE)) : page;
        });
    }

    @Override
    HibernateNote insertRow() {
        String title = nextTitle();
        return inTransaction(session -> insert(session, title));
    }

    @Override
    HibernateNote updateRow(HibernateNote row, String title, int priority) {
        return inTransaction(session -> update(session, row, title, priority));
    }

    @Override
    HibernateNote softDeleteRow(HibernateNote row) {
        return inTransaction(session -> {
            // merge() reads the row (the detached copy's version is checked at the update).
            HibernateNote managed = session.merge(row);
            managed.markDeleted(userId, DELETE_REASON);
            session.remove(managed);
            return managed;
        });
    }

    @Override
    public Object tenMutations() {
        return inTransaction(session -> {
            HibernateNote last = null;
            for (int i = 0; i < 5; i++) {
                HibernateNote inserted = insert(session, nextTitle());
                inserted.setTitle(nextTitle());
                inserted.setPriority(nextPriority());
                last = inserted;
            }
            return last;
        });
    }

    /** The hundred inserts as Hibernate batches them: JDBC batches of 50, Envers' rows batched too. */
    @Override
    public Object hundredInserts() {
        return inTransaction(session -> {
            HibernateNote last = null;
            for (int i = 0; i < 100; i++) {
                last = insert(session, nextTitle());
            }
            return last;
        });
    }

    private HibernateNote insert(Session session, String title) {
        HibernateNote note = new HibernateNote(UUIDS.generate(), title, BODY);
        session.persist(note);
        return note;
    }

    private static HibernateNote update(Session session, HibernateNote row, String title, int priority) {
        // The idiomatic update of an entity read in an earlier transaction: merge() reads it again.
        HibernateNote managed = session.merge(row);
        managed.setTitle(title);
        managed.setPriority(priority);
        return managed;
    }

    private <T> T inTransaction(Function<Session, T> work) {
        HibernateRevision.CURRENT.set(HibernateRevision.context(userId, UUIDS.generate().toString()));
        try (Session session = sessions.withOptions().tenantIdentifier(tenantId).openSession()) {
            Transaction transaction = session.beginTransaction();
            try {
                T result = work.apply(session);
                transaction.commit();
                return result;
            } catch (RuntimeException e) {
                if (transaction.isActive()) {
                    try {
                        transaction.rollback();
                    } catch (RuntimeException rollbackError) {
                        e.addSuppressed(rollbackError);
                    }
                }
                throw e;
            }
        } finally {
            HibernateRevision.CURRENT.remove();
        }
    }

    /** Closes the session factory. */
    @Override
    public void close() {
        sessions.close();
    }
}
