package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ProjectStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rules of a project's {@link ProjectStatus}, which {@link Projects#changeStatus} and
 * {@link TimeEntries} apply. The enum is generated from the column {@code agency.projects.status};
 * the rules live here, next to the repository that enforces them. Stateless and thread-safe.
 *
 * <p>Planned: agreed but not started; time can be booked (kick-off work). Active: under way. On
 * hold: paused, can be resumed. Completed: done; takes no new time; can be reopened (back to
 * active). Cancelled: abandoned; final, takes no new time and cannot be reopened.
 */
public final class ProjectStatuses {

    private ProjectStatuses() {
    }

    /**
     * The states a project may change to from {@code status}: planned to active, on hold or
     * cancelled; active to on hold, completed or cancelled; on hold to active or cancelled;
     * completed back to active; cancelled to nothing.
     *
     * @param status the current state
     * @return the allowed next states, a new modifiable set
     * @throws NullPointerException if {@code status} is null
     */
    public static Set<ProjectStatus> next(ProjectStatus status) {
        return switch (status) {
            case PLANNED -> EnumSet.of(ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD, ProjectStatus.CANCELLED);
            case ACTIVE -> EnumSet.of(ProjectStatus.ON_HOLD, ProjectStatus.COMPLETED, ProjectStatus.CANCELLED);
            case ON_HOLD -> EnumSet.of(ProjectStatus.ACTIVE, ProjectStatus.CANCELLED);
            case COMPLETED -> EnumSet.of(ProjectStatus.ACTIVE);
            case CANCELLED -> EnumSet.noneOf(ProjectStatus.class);
        };
    }

    /**
     * Whether time can be booked or corrected on a project in {@code status}.
     *
     * @param status the project's state
     * @return {@code false} for completed and cancelled projects
     * @throws NullPointerException if {@code status} is null
     */
    public static boolean acceptsTime(ProjectStatus status) {
        return switch (status) {
            case COMPLETED, CANCELLED -> false;
            case PLANNED, ACTIVE, ON_HOLD -> true;
        };
    }
}
