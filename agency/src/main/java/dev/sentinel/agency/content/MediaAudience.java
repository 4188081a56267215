package dev.sentinel.agency.content;

import dev.sentinel.agency.db.enums.MediaVisibility;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is looking at the media library, which decides the assets a read returns. Sentinel does not
 * know who a portal user is: the code that serves the portal says so by passing {@link #PORTAL}.
 */
public enum MediaAudience {
    /** The tenant's members: every asset. */
    MEMBERS(EnumSet.allOf(MediaVisibility.class)),
    /** A client of the tenant in its portal: public and portal assets. */
    PORTAL(EnumSet.of(MediaVisibility.PUBLIC, MediaVisibility.PORTAL)),
    /** Anyone, signed in or not: public assets. */
    PUBLIC(EnumSet.of(MediaVisibility.PUBLIC));

    private final Set<MediaVisibility> sees;

    MediaAudience(Set<MediaVisibility> sees) {
        this.sees = Set.copyOf(sees);
    }

    /**
     * The visibilities this audience may see.
     *
     * @return an unmodifiable set
     */
    public Set<MediaVisibility> sees() {
        return sees;
    }

    /**
     * Whether this audience may see an asset of a visibility.
     *
     * @param visibility the asset's visibility
     * @return {@code true} if it may
     */
    public boolean canSee(MediaVisibility visibility) {
        return sees.contains(visibility);
    }
}
