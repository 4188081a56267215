package dev.sentinel.agency.crm;

import dev.sentinel.agency.db.enums.LeadStatus;
import java.util.UUID;

/**
 * The outcome of {@link Leads#convertToClient}.
 *
 * @param lead the lead, now {@link LeadStatus#WON} with its {@code clientId} set
 * @param clientId the client the lead became
 * @param clientCreated {@code true} if the conversion created the client, {@code false} if it
 *     linked an existing one
 */
public record LeadConversion(Lead lead, UUID clientId, boolean clientCreated) {
}
