package dev.sentinel.agency.crm;

import dev.sentinel.agency.db.enums.LeadStatus;
import java.util.Set;

/**
 * The rules of a lead's {@link LeadStatus}, which {@link Leads} applies. The enum is generated from
 * the column {@code agency.leads.status}; the rules live here, next to the repository that enforces
 * them. Stateless and thread-safe.
 *
 * <p>The open states ({@link LeadStatus#NEW}, {@link LeadStatus#CONTACTED}, {@link LeadStatus#QUALIFIED},
 * {@link LeadStatus#PROPOSAL}) may move to one another in either direction (pipelines go back as
 * well as forward) and to {@link LeadStatus#LOST}. A lost lead can only be reopened as
 * {@link LeadStatus#NEW}. {@link LeadStatus#WON} is reached only by {@link Leads#convertToClient},
 * which records the client the lead became, and is final.
 */
public final class LeadStatuses {

    private static final Set<LeadStatus> OPEN =
            Set.of(LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.PROPOSAL);

    private LeadStatuses() {
    }

    /**
     * Whether a lead in {@code status} is still being worked on: new, contacted, qualified or
     * proposal.
     *
     * @param status the lead's status
     * @return {@code true} for the open states
     * @throws NullPointerException if {@code status} is null
     */
    public static boolean isOpen(LeadStatus status) {
        return OPEN.contains(status);
    }

    /**
     * Whether {@link Leads#changeStatus} may move a lead from {@code from} to {@code to}. Moving to
     * {@link LeadStatus#WON} is never allowed there (convert the lead instead), and neither is
     * moving to the current status.
     *
     * @param from the current status
     * @param to the status wanted; null is never allowed
     * @return {@code true} if the move is allowed
     * @throws NullPointerException if {@code from} is null
     */
    public static boolean canChange(LeadStatus from, LeadStatus to) {
        if (to == null || to == from || to == LeadStatus.WON) {
            return false;
        }
        return isOpen(from) || (from == LeadStatus.LOST && to == LeadStatus.NEW);
    }
}
