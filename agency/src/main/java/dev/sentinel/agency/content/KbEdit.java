package dev.sentinel.agency.content;

import java.util.List;

/**
 * Changes to a knowledge-base document; a {@code null} component is left as it is. Immutable; each
 * method returns a validated copy.
 *
 * <pre>{@code
 * KbDocument doc = tx.attach(KnowledgeBase.class).get(id);
 * tx.attach(KnowledgeBase.class).edit(id, doc.version(), KbEdit.none().title("Getting started, again"));
 * }</pre>
 *
 * @param slug a new slug, or {@code null}
 * @param title a new title, or {@code null}
 * @param body a new body, or {@code null}
 * @param tags new tags (replacing the old ones), or {@code null}
 */
public record KbEdit(String slug, String title, String body, List<String> tags) {

    /**
     * Validates the values that are set.
     *
     * @throws dev.sentinel.core.InvalidInputException naming the value that does not fit
     */
    public KbEdit {
        if (slug != null) {
            KbRules.slug("KbEdit", slug);
        }
        if (title != null) {
            KbRules.title("KbEdit", title);
        }
        if (body != null) {
            KbRules.body("KbEdit", body);
        }
        if (tags != null) {
            tags = KbRules.tags("KbEdit", tags);
        }
    }

    /**
     * An edit that changes nothing yet.
     *
     * @return the empty edit
     */
    public static KbEdit none() {
        return new KbEdit(null, null, null, null);
    }

    /**
     * Changes the slug.
     *
     * @param slug the new slug
     * @return a copy
     */
    public KbEdit slug(String slug) {
        return new KbEdit(slug, title, body, tags);
    }

    /**
     * Changes the title.
     *
     * @param title the new title
     * @return a copy
     */
    public KbEdit title(String title) {
        return new KbEdit(slug, title, body, tags);
    }

    /**
     * Changes the body.
     *
     * @param body the new body
     * @return a copy
     */
    public KbEdit body(String body) {
        return new KbEdit(slug, title, body, tags);
    }

    /**
     * Replaces the tags.
     *
     * @param tags the new tags
     * @return a copy
     */
    public KbEdit tags(List<String> tags) {
        return new KbEdit(slug, title, body, tags);
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
