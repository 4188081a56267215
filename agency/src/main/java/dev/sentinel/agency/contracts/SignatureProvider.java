package dev.sentinel.agency.contracts;

import java.util.Locale;

/** Who collects the signature, stored as text in {@code agency.contracts.signature_provider}. */
public enum SignatureProvider {
    /** DocuSign; the request needs its envelope id. */
    DOCUSIGN,
    /** HelloSign (Dropbox Sign); the request needs its signature request id. */
    HELLOSIGN,
    /** Signed on paper or by other means; an envelope id is optional. */
    MANUAL;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a request through this provider must carry the provider's envelope id.
     *
     * @return {@code true} for DocuSign and HelloSign
     */
    public boolean needsEnvelopeId() {
        return this != MANUAL;
    }
}
