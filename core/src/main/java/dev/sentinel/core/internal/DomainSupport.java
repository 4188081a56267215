package dev.sentinel.core.internal;

import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.Tx;
import java.util.UUID;

/** What the domain repositories ({@code tx.leads()}, {@code tx.knowledgeBase()}, ...) share. */
public final class DomainSupport {

    private DomainSupport() {
    }

    /**
     * The transaction's tenant; domain repositories work in a tenant scope only.
     *
     * @param tx the transaction
     * @param api the accessor's name for the message, such as {@code tx.leads()}
     * @return the tenant's id
     * @throws MissingScopeException in the system scope
     */
    public static UUID tenant(Tx tx, String api) {
        return tx.tenantId().orElseThrow(() -> new MissingScopeException(api + " needs a tenant scope: open"
                + " sentinel.tenant(tenantId, actor) for the tenant whose data this is"));
    }
}
