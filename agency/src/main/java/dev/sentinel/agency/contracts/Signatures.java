package dev.sentinel.agency.contracts;

import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.db.enums.SignatureState;
import java.util.EnumSet;
import java.util.Set;

/**
 * The e-signature rules of a contract, which {@link Contracts} enforces (and, for raw SQL, the
 * trigger {@code contracts_signature_transition}). The enums are generated from the columns
 * {@code agency.contracts.signature_status} and {@code signature_provider}; the rules live here.
 * Stateless and thread-safe.
 */
public final class Signatures {

    private Signatures() {
    }

    /**
     * The states a contract may change to from {@code state}: draft to sent; sent to signed,
     * declined, voided or expired; declined, voided and expired back to draft; signed to nothing.
     *
     * @param state the current state
     * @return the allowed next states, a new modifiable set
     * @throws NullPointerException if {@code state} is null
     */
    public static Set<SignatureState> next(SignatureState state) {
        return switch (state) {
            case DRAFT -> EnumSet.of(SignatureState.SENT);
            case SENT -> EnumSet.of(SignatureState.SIGNED, SignatureState.DECLINED, SignatureState.VOIDED,
                    SignatureState.EXPIRED);
            case DECLINED, VOIDED, EXPIRED -> EnumSet.of(SignatureState.DRAFT);
            case SIGNED -> EnumSet.noneOf(SignatureState.class);
        };
    }

    /**
     * Whether a signature request through {@code provider} must carry the provider's envelope id:
     * DocuSign's envelope id, HelloSign's signature request id; a manual signature needs none.
     *
     * @param provider the provider
     * @return {@code true} for DocuSign and HelloSign
     * @throws NullPointerException if {@code provider} is null
     */
    public static boolean needsEnvelopeId(SignatureProvider provider) {
        return switch (provider) {
            case DOCUSIGN, HELLOSIGN -> true;
            case MANUAL -> false;
        };
    }
}
