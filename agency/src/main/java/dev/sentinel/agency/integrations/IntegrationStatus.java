package dev.sentinel.agency.integrations;

import java.util.Locale;

/** The state of a connection: the values of {@code integrations.status}. */
public enum IntegrationStatus {
    /** Created but never connected (rows written outside this API; {@link Integrations#connect} connects at once). */
    PENDING,
    /** Holds a working access token. */
    CONNECTED,
    /** The provider refused the last call or refresh; tokens kept, {@code lastError} says why. */
    ERROR,
    /** Disconnected: the tokens are erased; the configuration is kept for a reconnect. */
    DISCONNECTED;

    /**
     * The value stored in {@code integrations.status}.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status stored as {@code sql}.
     *
     * @param sql a value of {@code integrations.status}
     * @return the status
     * @throws IllegalArgumentException if the value is not one of the statuses
     */
    public static IntegrationStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
