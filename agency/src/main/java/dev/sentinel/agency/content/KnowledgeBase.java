package dev.sentinel.agency.content;

import dev.sentinel.agency.db.enums.KbStatus;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import java.util.Optional;
import java.util.UUID;

/**
 * The current tenant's knowledge base, from {@code tx.attach(KnowledgeBase.class)}: a thin layer over the
 * generic repository of {@code agency.kb_documents} (tenant scope, soft deletes, optimistic
 * locking on {@code version}, timestamps and the audit row of every change come from there). Every
 * call runs in the caller's transaction. Tenant scope only (the system scope throws
 * {@link dev.sentinel.core.MissingScopeException}). Valid only inside its transaction; not
 * thread-safe.
 *
 * <p>Rules: a slug is unique among the tenant's live documents (a deleted document frees its slug);
 * {@code draft -> published -> archived}, and an archived document may be published again;
 * {@code publishedAt} is set at the first publication and kept after that; an archived document is
 * read-only. Every write needs its permission ({@code kb_document:create}, {@code kb_document:update},
 * {@code kb_document:publish}, {@code kb_document:archive}, {@code kb_document:delete}) and throws
 * {@link dev.sentinel.core.PermissionDeniedException} before writing anything without it. Reads
 * need none. Soft-deleted documents are invisible to every method here.
 */
public interface KnowledgeBase {

    /**
     * Creates a draft. Needs {@code kb_document:create}.
     *
     * @param document the values
     * @return the stored document, version 0
     * @throws dev.sentinel.core.UniqueViolationException if a live document of this tenant has the slug
     *     (constraint {@code kb_documents_slug_live_key})
     */
    KbDocument create(NewKbDocument document);

    /**
     * Reads a live document.
     *
     * @param documentId the id
     * @return the document, or empty if this tenant has no live document with that id
     */
    Optional<KbDocument> find(UUID documentId);

    /**
     * Reads a live document.
     *
     * @param documentId the id
     * @return the document
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live document with that id
     */
    KbDocument get(UUID documentId);

    /**
     * Reads the live document with a slug, in any status (for the editor).
     *
     * @param slug the slug
     * @return the document, or empty
     */
    Optional<KbDocument> findBySlug(String slug);

    /**
     * Reads the document with a slug if it is published: what a help centre shows its readers.
     *
     * @param slug the slug
     * @return the published document, or empty if there is none with that slug or it is a draft or archived
     */
    Optional<KbDocument> findPublished(String slug);

    /**
     * A page of live documents in a status, in id (creation) order.
     *
     * @param status the status
     * @param page which page
     * @return the page
     */
    Page<KbDocument> list(KbStatus status, PageRequest page);

    /**
     * A page of live documents in a status that carry a tag (exact, case-sensitive match), in id
     * (creation) order.
     *
     * @param status the status
     * @param tag the tag
     * @param page which page
     * @return the page
     */
    Page<KbDocument> list(KbStatus status, String tag, PageRequest page);

    /**
     * Changes a draft or published document, if it is still at the version the caller read. Needs
     * {@code kb_document:update}.
     *
     * @param documentId the document
     * @param expectedVersion the {@link KbDocument#version()} the caller read
     * @param edit the changes
     * @return the updated document, its version incremented
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live document with that id
     * @throws dev.sentinel.core.StaleRecordException if the document changed since that version was read
     * @throws dev.sentinel.core.InvalidStateTransitionException if the document is archived
     * @throws dev.sentinel.core.InvalidInputException if the edit changes nothing
     * @throws dev.sentinel.core.UniqueViolationException if the new slug is taken by another live document
     */
    KbDocument edit(UUID documentId, int expectedVersion, KbDocumentChange edit);

    /**
     * Publishes a draft, or an archived document again. The first publication sets
     * {@code publishedAt} to the service clock's now; publishing again keeps it. Needs
     * {@code kb_document:publish}.
     *
     * @param documentId the document
     * @return the published document
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live document with that id
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is published already
     */
    KbDocument publish(UUID documentId);

    /**
     * Archives a published document: withdrawn from readers, kept, read-only. Needs
     * {@code kb_document:archive}.
     *
     * @param documentId the document
     * @return the archived document
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live document with that id
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is a draft (delete a draft instead) or archived already
     */
    KbDocument archive(UUID documentId);

    /**
     * Soft-deletes a document, in any status; its slug becomes free. Needs {@code kb_document:delete}.
     *
     * @param documentId the document
     * @param reason why, 1 to 1000 characters
     * @return the deleted document
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live document with that id
     */
    KbDocument delete(UUID documentId, String reason);
}
