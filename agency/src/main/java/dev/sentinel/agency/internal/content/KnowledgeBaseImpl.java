package dev.sentinel.agency.internal.content;

import static dev.sentinel.agency.db.Tables.KB_DOCUMENTS;

import dev.sentinel.agency.content.KbDocument;
import dev.sentinel.agency.content.KbDocumentChange;
import dev.sentinel.agency.content.KnowledgeBase;
import dev.sentinel.agency.content.NewKbDocument;
import dev.sentinel.agency.db.enums.KbStatus;
import dev.sentinel.agency.db.tables.records.KbDocumentsRecord;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * {@link KnowledgeBase} over the generic repository of {@code agency.kb_documents}. Every state
 * change goes through the repository's {@code update}, whose {@code version} check makes a
 * concurrent change of the same document fail with {@link StaleRecordException} instead of
 * overwriting it.
 */
public final class KnowledgeBaseImpl implements KnowledgeBase {

    /** The partial unique index that keeps slugs unique among live documents (agency V4). */
    static final String SLUG_KEY = "kb_documents_slug_live_key";

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the knowledge base to a transaction.
     *
     * @param tx the transaction, of a tenant scope
     * @throws dev.sentinel.core.MissingScopeException in the system scope
     */
    public KnowledgeBaseImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(KnowledgeBase.class)");
    }

    @Override
    public KbDocument create(NewKbDocument document) {
        if (document == null) {
            throw new InvalidInputException("create: document is null; start from NewKbDocument.of(slug, title)");
        }
        tx.authorize("kb_document:create");
        KbDocumentsRecord record = new KbDocumentsRecord()
                .setSlug(document.slug())
                .setTitle(document.title())
                .setBody(document.body())
                .setTags(document.tags().toArray(String[]::new))
                .setStatus(KbStatus.DRAFT)
                .setCreatedBy(tx.actor().userId().orElse(null));
        return slugChecked(document.slug(), () -> document(repository().insert(record)));
    }

    @Override
    public Optional<KbDocument> find(UUID documentId) {
        requireId(documentId, "find");
        return repository().find(documentId).map(KnowledgeBaseImpl::document);
    }

    @Override
    public KbDocument get(UUID documentId) {
        return find(documentId).orElseThrow(() -> notFound(documentId));
    }

    @Override
    public Optional<KbDocument> findBySlug(String slug) {
        return bySlug(slug, DSL.noCondition());
    }

    @Override
    public Optional<KbDocument> findPublished(String slug) {
        return bySlug(slug, KB_DOCUMENTS.STATUS.eq(KbStatus.PUBLISHED));
    }

    @Override
    public Page<KbDocument> list(KbStatus status, PageRequest page) {
        return list(requireStatus(status), DSL.noCondition(), page);
    }

    @Override
    public Page<KbDocument> list(KbStatus status, String tag, PageRequest page) {
        if (tag == null || tag.isEmpty()) {
            throw new InvalidInputException("list: tag is null or empty; call list(status, page) for every tag");
        }
        Condition tagged = DSL.condition("{0} @> {1}", KB_DOCUMENTS.TAGS, DSL.val(new String[] {tag}, KB_DOCUMENTS.TAGS));
        return list(requireStatus(status), tagged, page);
    }

    @Override
    public KbDocument edit(UUID documentId, int expectedVersion, KbDocumentChange edit) {
        requireId(documentId, "edit");
        if (edit == null || edit.isEmpty()) {
            throw new InvalidInputException("edit: the edit changes nothing; set a slug, title, body or tags");
        }
        tx.authorize("kb_document:update");
        KbDocumentsRecord row = live(documentId);
        if (row.getVersion() != expectedVersion) {
            throw new StaleRecordException("edit: kb document " + documentId + " is at version " + row.getVersion()
                    + ", not " + expectedVersion + "; read it again and reapply the change");
        }
        if (row.getStatus() == KbStatus.ARCHIVED) {
            throw new InvalidStateTransitionException("edit: kb document " + documentId + " is archived and read-only;"
                    + " publish it again to change it");
        }
        if (edit.slug() != null) {
            row.setSlug(edit.slug());
        }
        if (edit.title() != null) {
            row.setTitle(edit.title());
        }
        if (edit.body() != null) {
            row.setBody(edit.body());
        }
        if (edit.tags() != null) {
            row.setTags(edit.tags().toArray(String[]::new));
        }
        return slugChecked(edit.slug(), () -> document(repository().update(row)));
    }

    @Override
    public KbDocument publish(UUID documentId) {
        requireId(documentId, "publish");
        tx.authorize("kb_document:publish");
        KbDocumentsRecord row = live(documentId);
        if (row.getStatus() == KbStatus.PUBLISHED) {
            throw new InvalidStateTransitionException("publish: kb document " + documentId + " is published already");
        }
        row.setStatus(KbStatus.PUBLISHED);
        if (row.getPublishedAt() == null) {
            row.setPublishedAt(tx.now());
        }
        return document(repository().update(row));
    }

    @Override
    public KbDocument archive(UUID documentId) {
        requireId(documentId, "archive");
        tx.authorize("kb_document:archive");
        KbDocumentsRecord row = live(documentId);
        KbStatus current = row.getStatus();
        if (current != KbStatus.PUBLISHED) {
            throw new InvalidStateTransitionException("archive: kb document " + documentId + " is " + current.literal()
                    + "; only a published document can be archived" + (current == KbStatus.DRAFT
                            ? " (a draft that is not wanted is deleted instead)" : ""));
        }
        row.setStatus(KbStatus.ARCHIVED);
        return document(repository().update(row));
    }

    @Override
    public KbDocument delete(UUID documentId, String reason) {
        requireId(documentId, "delete");
        tx.authorize("kb_document:delete");
        try {
            return document(repository().softDelete(documentId, reason));
        } catch (InvalidStateTransitionException alreadyDeleted) {
            throw notFound(documentId); // deleted rows are invisible here, as to every other method
        }
    }

    private Optional<KbDocument> bySlug(String slug, Condition also) {
        if (slug == null || slug.isEmpty()) {
            throw new InvalidInputException("findBySlug: slug is null or empty");
        }
        List<KbDocumentsRecord> rows = repository().list(KB_DOCUMENTS.SLUG.eq(slug).and(also), PageRequest.first(1)).items();
        return rows.stream().findFirst().map(KnowledgeBaseImpl::document);
    }

    private Page<KbDocument> list(KbStatus status, Condition also, PageRequest page) {
        if (page == null) {
            throw new InvalidInputException("list: page is null; use PageRequest.first(size)");
        }
        Page<KbDocumentsRecord> rows = repository().list(KB_DOCUMENTS.STATUS.eq(status).and(also), page);
        return new Page<>(rows.items().stream().map(KnowledgeBaseImpl::document).toList(), rows.next());
    }

    private KbDocumentsRecord live(UUID documentId) {
        return repository().find(documentId).orElseThrow(() -> notFound(documentId));
    }

    /** Names the slug in the message when the live-slug index refuses a write; other violations pass unchanged. */
    private <T> T slugChecked(String slug, Supplier<T> write) {
        try {
            return write.get();
        } catch (UniqueViolationException e) {
            if (!SLUG_KEY.equals(e.constraint())) {
                throw e;
            }
            throw new UniqueViolationException("The slug '" + slug + "' is taken by a live document of tenant " + tenant
                    + "; choose another slug, or delete or rename that document first", e.constraint(), e.table(), e);
        }
    }

    private Repository<KbDocumentsRecord> repository() {
        return tx.table(KB_DOCUMENTS);
    }

    private NotFoundException notFound(UUID documentId) {
        return new NotFoundException("No live kb document " + documentId + " in tenant " + tenant);
    }

    private static KbStatus requireStatus(KbStatus status) {
        if (status == null) {
            throw new InvalidInputException("list: status is null");
        }
        return status;
    }

    private static void requireId(UUID documentId, String operation) {
        if (documentId == null) {
            throw new InvalidInputException(operation + ": documentId is null");
        }
    }

    static KbDocument document(KbDocumentsRecord r) {
        return new KbDocument(r.getTenantId(), r.getId(), r.getSlug(), r.getTitle(), r.getBody(), r.getStatus(),
                List.of(r.getTags()), r.getPublishedAt(), r.getCreatedBy(), r.getVersion(), r.getCreatedAt(), r.getUpdatedAt(),
                r.getDeletedAt(), r.getDeletedBy(), r.getDeleteReason());
    }
}
