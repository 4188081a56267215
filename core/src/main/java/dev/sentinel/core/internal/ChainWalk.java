package dev.sentinel.core.internal;

import java.util.UUID;
import java.util.function.Consumer;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Streams a range of a tenant's chain links with their rows' canonical texts, in chain order, a
 * batch of rows at a time (a cursor: the transaction must not be in autocommit), so that
 * checkpointing and exporting a long trail need memory for one batch only.
 */
final class ChainWalk {

    /** Rows fetched per round trip. */
    static final int FETCH_SIZE = 1_000;

    /**
     * One link and its row.
     *
     * @param position the link's position
     * @param auditId the row it seals
     * @param hash its HMAC
     * @param keyId the HMAC key's id
     * @param canonical the row's canonical text, or {@code null} if the row is gone
     */
    record Link(long position, UUID auditId, String hash, String keyId, String canonical) {
    }

    private ChainWalk() {
    }

    /**
     * Visits the links after one position up to another.
     *
     * @param dsl the transaction's context
     * @param tenantId the tenant
     * @param after the position before the first link visited
     * @param upTo the last position visited
     * @param visitor receives each link in order
     */
    static void walk(DSLContext dsl, UUID tenantId, long after, long upTo, Consumer<Link> visitor) {
        // row(a.*)::sentinel.audit_log: on a Citus worker a has the shard's row type (see ChainSealer).
        try (Cursor<Record> links = dsl.resultQuery("""
                select c.position, c.audit_id, c.hash, c.key_id,
                       case when a.id is null then null
                            else sentinel.audit_canonical(row(a.*)::sentinel.audit_log) end as canonical
                  from sentinel.audit_chain c
                  left join sentinel.audit_log a on a.tenant_id = c.tenant_id and a.id = c.audit_id
                 where c.tenant_id = {0} and c.position > {1} and c.position <= {2}
                 order by c.position""", DSL.val(tenantId), DSL.val(after), DSL.val(upTo))
                .fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record link : links) {
                visitor.accept(new Link(link.get(0, Long.class), link.get(1, UUID.class), link.get(2, String.class),
                        link.get(3, String.class), link.get(4, String.class)));
            }
        }
    }
}
