package dev.sentinel.agency.content;

import java.util.List;

/**
 * Changes to a knowledge-base document; a {@code null} component is left as it is. Immutable and
 * thread-safe; each method returns a validated copy.
 *
 * <pre>{@code
 * KbDocument doc = tx.attach(KnowledgeBase.class).get(id);
 * tx.attach(KnowledgeBase.class).edit(id, doc.version(), KbDocumentChange.none().title("Getting started, again"));
 * }</pre>
 *
 * @param slug a new slug, or {@code null}
 * @param title a new title, or {@code null}
 * @param body a new body, or {@code null}
 * @param tags new tags (replacing the old ones), or {@code null}
 */
public record KbDocumentChange(String slug, String title, String body, List<String> tags) {

    /**
     * Validates the values that are set.
     *
     * @throws dev.sentinel.core.InvalidInputException naming the value that does not fit
     */
    public KbDocumentChange {
        if (slug != null) {
            KbRules.slug("KbDocumentChange", slug);
        }
        if (title != null) {
            KbRules.title("KbDocumentChange", title);
        }
        if (body != null) {
            KbRules.body("KbDocumentChange", body);
        }
        if (tags != null) {
            tags = KbRules.tags("KbDocumentChange", tags);
        }
    }

    /**
     * An edit that changes nothing yet.
     *
     * @return the empty edit
     */
    public static KbDocumentChange none() {
        return new KbDocumentChange(null, null, null, null);
    }

    /**
     * Changes the slug.
     *
     * @param slug the new slug
     * @return a copy
     */
    public KbDocumentChange slug(String slug) {
        return new KbDocumentChange(slug, title, body, tags);
    }

    /**
     * Changes the title.
     *
     * @param title the new title
     * @return a copy
     */
    public KbDocumentChange title(String title) {
        return new KbDocumentChange(slug, title, body, tags);
    }

    /**
     * Changes the body.
     *
     * @param body the new body
     * @return a copy
     */
    public KbDocumentChange body(String body) {
        return new KbDocumentChange(slug, title, body, tags);
    }

    /**
     * Replaces the tags.
     *
     * @param tags the new tags
     * @return a copy
     */
    public KbDocumentChange tags(List<String> tags) {
        return new KbDocumentChange(slug, title, body, tags);
    }

    /**
     * Whether this edit changes anything.
     *
     * @return {@code true} if no component is set
     */
    public boolean isEmpty() {
        return slug == null && title == null && body == null && tags == null;
    }
}
