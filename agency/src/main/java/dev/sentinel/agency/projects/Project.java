package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ProjectStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A project as stored, with its members and the time booked on it, read in one query. Immutable and
 * thread-safe.
 *
 * @param id the id
 * @param slug URL-safe, unique among the tenant's live projects
 * @param name 1 to 200 characters
 * @param description free text, or {@code null}
 * @param status where it is in {@link ProjectStatuses}
 * @param startsOn the first day, or {@code null}
 * @param endsOn the last day, or {@code null}
 * @param budgetAmount the budget, or {@code null}
 * @param currency the ISO 4217 currency of the budget and of the members' rates, or {@code null}
 * @param version the optimistic-locking version: pass it to {@link Projects#update}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 * @param members its assignments, in the order they were made
 * @param timeByUser the time booked on it per person (including people no longer assigned), in user id order
 * @param total all time booked on it; its id is the project's
 */
public record Project(UUID id, String slug, String name, String description, ProjectStatus status, LocalDate startsOn,
        LocalDate endsOn, BigDecimal budgetAmount, String currency, int version, Instant createdAt, Instant updatedAt,
        Instant deletedAt, List<AssignedMember> members, List<TimeTotal> timeByUser, TimeTotal total) {

    /** Copies the lists, so the record stays immutable. */
    public Project {
        members = List.copyOf(members);
        timeByUser = List.copyOf(timeByUser);
    }

    /**
     * The project's details as they are, to change and pass to {@link Projects#update}.
     *
     * @return the details, validated
     */
    public ProjectChange change() {
        return new ProjectChange(slug, name, description, startsOn, endsOn, budgetAmount, currency);
    }
}
