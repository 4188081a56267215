package dev.sentinel.agency.internal.integrations;

import static dev.sentinel.agency.db.Tables.INTEGRATIONS;

import dev.sentinel.agency.db.enums.IntegrationStatus;
import dev.sentinel.agency.db.tables.records.IntegrationsRecord;
import dev.sentinel.agency.integrations.Integration;
import dev.sentinel.agency.integrations.Integrations;
import dev.sentinel.agency.integrations.NewIntegration;
import dev.sentinel.agency.integrations.OAuthTokens;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.secrets.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * {@link Integrations} over the generic repository of {@code agency.integrations}, which seals
 * the token columns when it writes them and binds them to their row when it reads them. Writes lock
 * the connection's row first ({@code SELECT ... FOR UPDATE}, which reads no token), so a refresh
 * running in a background job and a disconnect by a user are applied one after the other, and a
 * refresh never brings back tokens that a disconnect erased.
 */
public final class IntegrationsImpl implements Integrations {

    private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9_]{1,31}");
    private static final int MAX_ERROR = 2000;
    /** The states in which a connection holds tokens. */
    private static final Set<IntegrationStatus> WITH_TOKENS = EnumSet.of(IntegrationStatus.CONNECTED, IntegrationStatus.ERROR);
    /** The unique key of one connection per tenant and provider (agency V5). */
    static final String PROVIDER_KEY = "integrations_provider_key";

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the integrations to a transaction.
     *
     * @param tx the transaction, of a tenant scope
     * @throws dev.sentinel.core.MissingScopeException in the system scope
     */
    public IntegrationsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(Integrations.class)");
    }

    @Override
    public Integration connect(NewIntegration connection) {
        if (connection == null) {
            throw new InvalidInputException("connect: connection is null; start from NewIntegration.of(provider, tokens)");
        }
        tx.authorize("integration:connect");
        OAuthTokens tokens = connection.tokens();
        IntegrationsRecord values = new IntegrationsRecord()
                .setStatus(IntegrationStatus.CONNECTED)
                .setAccessToken(Secret.of(tokens.accessToken()))
                .setRefreshToken(tokens.refreshToken() == null ? null : Secret.of(tokens.refreshToken()))
                .setTokenExpiresAt(Checks.utc(tokens.expiresAt()))
                .setScopes(JSONB.valueOf(scopesJson(connection.scopes())))
                .setConfig(JSONB.valueOf(connection.configJson()))
                .setExternalAccountId(connection.externalAccountId())
                .setConnectedAt(tx.now())
                .setLastError(null);
        IntegrationsRecord existing = lock(connection.provider());
        if (existing != null) {
            values.setId(existing.getId());
            return integration(repository().update(written(values, INTEGRATIONS.REFRESH_TOKEN, INTEGRATIONS.TOKEN_EXPIRES_AT,
                    INTEGRATIONS.EXTERNAL_ACCOUNT_ID, INTEGRATIONS.LAST_ERROR)));
        }
        values.setProvider(connection.provider()).setCreatedBy(tx.actor().userId().orElse(null));
        try {
            return integration(repository().insert(values));
        } catch (UniqueViolationException e) {
            if (!PROVIDER_KEY.equals(e.constraint())) {
                throw e;
            }
            throw new UniqueViolationException("connect: another transaction connected tenant " + tenant + " to "
                    + connection.provider() + " at the same time; run the transaction again to reconnect it",
                    e.constraint(), e.table(), e);
        }
    }

    @Override
    public Optional<Integration> find(String provider) {
        return read(requireProvider(provider)).map(IntegrationsImpl::integration);
    }

    @Override
    public List<Integration> list() {
        List<Integration> all = new ArrayList<>();
        PageRequest page = PageRequest.first(PageRequest.MAX_SIZE);
        while (page != null) {
            Page<IntegrationsRecord> rows = repository().list(DSL.noCondition(), page);
            rows.items().forEach(row -> all.add(integration(row)));
            page = rows.next().orElse(null);
        }
        all.sort(Comparator.comparing(Integration::provider));
        return List.copyOf(all);
    }

    @Override
    public OAuthTokens tokens(String provider) {
        IntegrationsRecord row = read(requireProvider(provider)).orElseThrow(() -> notFound(provider));
        requireTokens(row, "tokens");
        Secret refresh = row.getRefreshToken();
        return new OAuthTokens(row.getAccessToken().reveal(), refresh == null ? null : refresh.reveal(),
                row.getTokenExpiresAt() == null ? null : row.getTokenExpiresAt().toInstant());
    }

    @Override
    public Integration refreshTokens(String provider, OAuthTokens tokens) {
        requireProvider(provider);
        if (tokens == null) {
            throw new InvalidInputException("refreshTokens: tokens is null");
        }
        tx.authorize("integration:refresh");
        IntegrationsRecord row = lockExisting(provider);
        requireTokens(row, "refreshTokens");
        IntegrationsRecord values = new IntegrationsRecord()
                .setId(row.getId())
                .setStatus(IntegrationStatus.CONNECTED)
                .setAccessToken(Secret.of(tokens.accessToken()))
                .setTokenExpiresAt(Checks.utc(tokens.expiresAt()))
                .setLastError(null);
        if (tokens.refreshToken() != null) {
            values.setRefreshToken(Secret.of(tokens.refreshToken()));
        }
        return integration(repository().update(written(values, INTEGRATIONS.TOKEN_EXPIRES_AT, INTEGRATIONS.LAST_ERROR)));
    }

    @Override
    public Integration recordError(String provider, String message) {
        requireProvider(provider);
        if (message == null || message.isBlank() || message.length() > MAX_ERROR) {
            throw new InvalidInputException("recordError: the message must be 1 to " + MAX_ERROR + " characters and not blank");
        }
        tx.authorize("integration:refresh");
        IntegrationsRecord row = lockExisting(provider);
        requireTokens(row, "recordError");
        IntegrationsRecord values = new IntegrationsRecord()
                .setId(row.getId())
                .setStatus(IntegrationStatus.ERROR)
                .setLastError(message);
        return integration(repository().update(values));
    }

    @Override
    public Integration disconnect(String provider) {
        requireProvider(provider);
        tx.authorize("integration:disconnect");
        IntegrationsRecord row = lockExisting(provider);
        if (row.getStatus() == IntegrationStatus.DISCONNECTED) {
            throw new InvalidStateTransitionException("disconnect: " + provider + " is disconnected already in tenant " + tenant);
        }
        IntegrationsRecord values = new IntegrationsRecord()
                .setId(row.getId())
                .setStatus(IntegrationStatus.DISCONNECTED)
                .setAccessToken(null)
                .setRefreshToken(null)
                .setTokenExpiresAt(null)
                .setLastError(null);
        return integration(repository().update(written(values, INTEGRATIONS.ACCESS_TOKEN, INTEGRATIONS.REFRESH_TOKEN,
                INTEGRATIONS.TOKEN_EXPIRES_AT, INTEGRATIONS.LAST_ERROR)));
    }

    /** The row, read through the repository so that its secrets are bound to it and can be opened. */
    private Optional<IntegrationsRecord> read(String provider) {
        return repository().list(INTEGRATIONS.PROVIDER.eq(provider), PageRequest.first(1)).items().stream().findFirst();
    }

    /** Locks the row until commit; reads no token. */
    private IntegrationsRecord lock(String provider) {
        return tx.dsl().select(INTEGRATIONS.ID, INTEGRATIONS.STATUS).from(INTEGRATIONS)
                .where(INTEGRATIONS.TENANT_ID.eq(tenant)).and(INTEGRATIONS.PROVIDER.eq(provider))
                .forUpdate().fetchOneInto(IntegrationsRecord.class);
    }

    private IntegrationsRecord lockExisting(String provider) {
        IntegrationsRecord row = lock(provider);
        if (row == null) {
            throw notFound(provider);
        }
        return row;
    }

    private void requireTokens(IntegrationsRecord row, String operation) {
        IntegrationStatus status = row.getStatus();
        if (!WITH_TOKENS.contains(status)) {
            throw new InvalidStateTransitionException(operation + ": the connection to " + row.getProvider() + " is "
                    + status.literal() + " and holds no tokens; connect it first");
        }
    }

    private String requireProvider(String provider) {
        if (provider == null || !PROVIDER.matcher(provider).matches()) {
            throw new InvalidInputException("provider '" + provider + "' must be 2 to 32 characters of a-z, 0-9 and _,"
                    + " starting with a letter, such as google or slack");
        }
        return provider;
    }

    private Repository<IntegrationsRecord> repository() {
        return tx.table(INTEGRATIONS);
    }

    private NotFoundException notFound(String provider) {
        return new NotFoundException("Tenant " + tenant + " has no connection to " + provider + "; connect it first");
    }

    /** Marks the columns as written, so that the ones set to null are written as null too. */
    private static IntegrationsRecord written(IntegrationsRecord values, org.jooq.Field<?>... columns) {
        for (org.jooq.Field<?> column : columns) {
            values.changed(column, true);
        }
        return values;
    }


    /** Scope tokens hold no {@code "} or {@code \} (RFC 6749, checked by {@link NewIntegration}), so no escaping is needed. */
    private static String scopesJson(List<String> scopes) {
        return scopes.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    static Integration integration(IntegrationsRecord r) {
        return new Integration(r.getTenantId(), r.getId(), r.getProvider(), r.getStatus(),
                r.getExternalAccountId(), JsonStrings.parseArray(r.getScopes().data()), r.getConfig().data(),
                r.getAccessToken() != null, r.getRefreshToken() != null, r.getTokenExpiresAt(), r.getConnectedAt(),
                r.getLastSyncAt(), r.getLastError(), r.getCreatedBy(), r.getCreatedAt(), r.getUpdatedAt());
    }
}
