package dev.sentinel.agency.content;

import dev.sentinel.core.InvalidInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** The checks that {@link NewKbDocument} and {@link KbDocumentChange} share, mirroring the table's CHECKs. */
final class KbRules {

    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");
    static final int MAX_TITLE = 300;
    static final int MAX_BODY = 1_000_000;
    static final int MAX_TAG = 64;
    static final int MAX_TAGS = 50;

    private KbRules() {
    }

    static void slug(String where, String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new InvalidInputException(where + ": slug '" + slug + "' must be 1 to 128 characters of a-z, 0-9 and -,"
                    + " starting with a letter or digit, such as getting-started");
        }
    }

    static void title(String where, String title) {
        if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
            throw new InvalidInputException(where + ": title must be 1 to " + MAX_TITLE + " characters and not blank");
        }
    }

    static void body(String where, String body) {
        if (body == null || body.length() > MAX_BODY) {
            throw new InvalidInputException(where + ": body must not be null (use \"\") and is limited to " + MAX_BODY
                    + " characters");
        }
    }

    /** Validates tags and drops repeats, keeping the first occurrence's position. */
    static List<String> tags(String where, List<String> tags) {
        if (tags == null) {
            throw new InvalidInputException(where + ": tags is null; use List.of() for none");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag == null || tag.isBlank() || tag.length() > MAX_TAG || !tag.equals(tag.strip())) {
                throw new InvalidInputException(where + ": tag '" + tag + "' must be 1 to " + MAX_TAG
                        + " characters, not blank, without leading or trailing spaces");
            }
            unique.add(tag);
        }
        if (unique.size() > MAX_TAGS) {
            throw new InvalidInputException(where + ": " + unique.size() + " tags; at most " + MAX_TAGS + " are allowed");
        }
        return List.copyOf(unique);
    }
}
