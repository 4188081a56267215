package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The checks that {@link NewEnvironment} and {@link EnvironmentChange} share, mirroring the table's CHECKs. */
final class EnvironmentRules {

    private EnvironmentRules() {
    }

    static void validate(String where, String key, String name, EnvironmentKind kind, String url, String notes) {
        Checks.matches(key, Checks.SLUG, where, "key",
                "1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit");
        Checks.text(name, where, "name", 200);
        Checks.required(kind, where, "kind");
        if (url != null) {
            url(url, where);
        }
        if (notes != null && notes.length() > 10_000) {
            throw new InvalidInputException(where + ": notes are longer than 10000 characters");
        }
    }

    private static void url(String url, String where) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || url.length() > 2000) {
                throw new InvalidInputException(where + ": url '" + url + "' must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException(where + ": url '" + url + "' is not a URL: " + e.getReason(), e);
        }
    }
}
