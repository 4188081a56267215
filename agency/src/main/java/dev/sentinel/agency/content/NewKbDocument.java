package dev.sentinel.agency.content;

import java.util.List;

/**
 * A knowledge-base document to create, as a draft. Immutable; each method returns a validated copy.
 *
 * <pre>{@code
 * tx.attach(KnowledgeBase.class).create(NewKbDocument.of("getting-started", "Getting started")
 *         .body("# Welcome").tags(List.of("onboarding", "basics")));
 * }</pre>
 *
 * @param slug 1 to 128 characters of {@code a-z}, {@code 0-9} and {@code -}, starting with a letter or digit
 * @param title 1 to 300 characters, not blank
 * @param body up to 1,000,000 characters; default empty
 * @param tags up to 50 tags of 1 to 64 characters without surrounding spaces; repeats are dropped
 */
public record NewKbDocument(String slug, String title, String body, List<String> tags) {

    /**
     * Validates the values.
     *
     * @throws dev.sentinel.core.InvalidInputException naming the value that does not fit
     */
    public NewKbDocument {
        KbRules.slug("NewKbDocument", slug);
        KbRules.title("NewKbDocument", title);
        KbRules.body("NewKbDocument", body);
        tags = KbRules.tags("NewKbDocument", tags);
    }

    /**
     * A document with a slug and a title, an empty body and no tags.
     *
     * @param slug the slug
     * @param title the title
     * @return the new document
     */
    public static NewKbDocument of(String slug, String title) {
        return new NewKbDocument(slug, title, "", List.of());
    }

    /**
     * Sets the body.
     *
     * @param body the body
     * @return a copy
     */
    public NewKbDocument body(String body) {
        return new NewKbDocument(slug, title, body, tags);
    }

    /**
     * Sets the tags.
     *
     * @param tags the tags
     * @return a copy
     */
    public NewKbDocument tags(List<String> tags) {
        return new NewKbDocument(slug, title, body, tags);
    }
}
