package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.tables.records.ProjectsRecord;
import java.util.List;

/**
 * A project with its relations, read in one query ({@link Projects#details}). Immutable apart from
 * the record, which is a detached copy.
 *
 * @param project the project
 * @param members its assignments, in the order they were made
 * @param timeByUser the time booked on it per person (including people no longer assigned), in user id order
 * @param total all time booked on it; its id is the project's
 */
public record Project(ProjectsRecord project, List<AssignedMember> members, List<TimeTotal> timeByUser,
        TimeTotal total) {

    /** Copies the lists. */
    public Project {
        members = List.copyOf(members);
        timeByUser = List.copyOf(timeByUser);
    }
}
