package dev.sentinel.agency.contracts;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The e-signature state of a contract, stored as text in {@code agency.contracts.signature_status}.
 * The allowed changes ({@link #next()}) are enforced by {@link Contracts} and, for raw SQL, by a
 * database trigger.
 */
public enum SignatureState {
    /** Being written: versions can be added. */
    DRAFT,
    /** The newest version is out for signature with a provider. */
    SENT,
    /** Signed: final. The contract records which version was signed. */
    SIGNED,
    /** The signer declined. Can be reopened as a draft. */
    DECLINED,
    /** The request was withdrawn. Can be reopened as a draft. */
    VOIDED,
    /** The request lapsed unsigned. Can be reopened as a draft. */
    EXPIRED;

    /**
     * The states this one may change to: draft to sent; sent to signed, declined, voided or expired;
     * declined, voided and expired back to draft; signed to nothing.
     *
     * @return the allowed next states
     */
    public Set<SignatureState> next() {
        return switch (this) {
            case DRAFT -> EnumSet.of(SENT);
            case SENT -> EnumSet.of(SIGNED, DECLINED, VOIDED, EXPIRED);
            case DECLINED, VOIDED, EXPIRED -> EnumSet.of(DRAFT);
            case SIGNED -> EnumSet.noneOf(SignatureState.class);
        };
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
    public static SignatureState fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
