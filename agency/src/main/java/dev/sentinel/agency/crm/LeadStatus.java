package dev.sentinel.agency.crm;

import java.util.Locale;
import java.util.Set;

/**
 * Where a lead stands in the sales pipeline: the values of {@code leads.status}.
 *
 * <p>The open states ({@link #NEW}, {@link #CONTACTED}, {@link #QUALIFIED}, {@link #PROPOSAL}) may
 * move to one another in either direction (pipelines go back as well as forward) and to
 * {@link #LOST}. A lost lead can only be reopened as {@link #NEW}. {@link #WON} is reached only by
 * {@link Leads#convertToClient}, which records the client the lead became, and is final.
 */
public enum LeadStatus {
    /** Just arrived, nobody has replied yet. The default. */
    NEW,
    /** Someone has been in touch. */
    CONTACTED,
    /** A real prospect: need, budget and timing confirmed. */
    QUALIFIED,
    /** A proposal or quote is out. */
    PROPOSAL,
    /** Became a client; set by conversion only. Final. */
    WON,
    /** Not going anywhere; may be reopened as {@link #NEW}. */
    LOST;

    private static final Set<LeadStatus> OPEN = Set.of(NEW, CONTACTED, QUALIFIED, PROPOSAL);

    /**
     * Whether the lead is still being worked on: new, contacted, qualified or proposal.
     *
     * @return {@code true} for the open states
     */
    public boolean isOpen() {
        return OPEN.contains(this);
    }

    /**
     * Whether {@link Leads#changeStatus} may move a lead from this status to {@code target}. Moving
     * to {@link #WON} is never allowed here (convert the lead instead), and neither is moving to the
     * current status.
     *
     * @param target the status wanted
     * @return {@code true} if the move is allowed
     */
    public boolean canChangeTo(LeadStatus target) {
        if (target == null || target == this || target == WON) {
            return false;
        }
        return isOpen() || (this == LOST && target == NEW);
    }

    /**
     * The value stored in {@code leads.status}.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status stored as {@code sql}.
     *
     * @param sql a value of {@code leads.status}
     * @return the status
     * @throws IllegalArgumentException if the value is not one of the statuses
     */
    public static LeadStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
