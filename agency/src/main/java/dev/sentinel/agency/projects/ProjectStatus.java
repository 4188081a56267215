package dev.sentinel.agency.projects;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The states of a project, stored as text in {@code agency.projects.status}, and the changes
 * {@link Projects#changeStatus} allows between them.
 */
public enum ProjectStatus {
    /** Agreed but not started. Time can be booked (kick-off work). */
    PLANNED,
    /** Work is under way. */
    ACTIVE,
    /** Paused; can be resumed. */
    ON_HOLD,
    /** Done. Takes no new time; can be reopened (back to active). */
    COMPLETED,
    /** Abandoned. Final: takes no new time and cannot be reopened. */
    CANCELLED;

    /**
     * The states this one may change to: planned to active, on hold or cancelled; active to on hold,
     * completed or cancelled; on hold to active or cancelled; completed back to active; cancelled
     * to nothing.
     *
     * @return the allowed next states
     */
    public Set<ProjectStatus> next() {
        return switch (this) {
            case PLANNED -> EnumSet.of(ACTIVE, ON_HOLD, CANCELLED);
            case ACTIVE -> EnumSet.of(ON_HOLD, COMPLETED, CANCELLED);
            case ON_HOLD -> EnumSet.of(ACTIVE, CANCELLED);
            case COMPLETED -> EnumSet.of(ACTIVE);
            case CANCELLED -> EnumSet.noneOf(ProjectStatus.class);
        };
    }

    /**
     * Whether time can be booked or corrected on a project in this state.
     *
     * @return {@code false} for completed and cancelled projects
     */
    public boolean acceptsTime() {
        return this != COMPLETED && this != CANCELLED;
    }

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state for a stored value.
     *
     * @param sql the lower-case name
     * @return the state
     * @throws IllegalArgumentException for an unknown value
     */
    public static ProjectStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
