package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.identity.ApiKey;
import dev.sentinel.core.identity.ApiKeys;
import dev.sentinel.core.identity.IssuedApiKey;
import dev.sentinel.core.identity.Resource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;

/** {@link ApiKeys} on one transaction: the tenant's keys, or the platform's in the system scope. */
final class ApiKeysImpl implements ApiKeys {

    private final TxImpl tx;
    private final UUID tenant;

    ApiKeysImpl(TxImpl tx) {
        this.tx = tx;
        this.tenant = tx.isSystemScope() ? null : tx.tenantId().orElseThrow();
    }

    private DSLContext dsl() {
        return tx.dsl();
    }

    private String select() {
        return tenant == null
                ? "select id, null::uuid, null::text, null::uuid, name, key_prefix, scopes, expires_at, last_used_at, revoked_at from sentinel.global_api_keys where true"
                : "select id, tenant_id, resource_type, resource_id, name, key_prefix, scopes, expires_at, last_used_at, revoked_at from sentinel.api_keys where tenant_id = ?";
    }

    /** The bind values of {@link #select()} followed by {@code more}. */
    private Object[] binds(Object... more) {
        if (tenant == null) {
            return more;
        }
        Object[] all = new Object[more.length + 1];
        all[0] = tenant;
        System.arraycopy(more, 0, all, 1, more.length);
        return all;
    }

    @Override
    public IssuedApiKey create(String name, Set<String> scopes, Resource resource, Instant expiresAt) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("apiKeys().create: the name must be 1 to 200 characters");
        }
        if (scopes == null) {
            throw new InvalidInputException("apiKeys().create: scopes is null; pass Set.of() for a key limited to nothing");
        }
        scopes.forEach(Authorizer::requireKey);
        if (expiresAt != null && !expiresAt.isAfter(tx.clock().instant())) {
            throw new InvalidInputException("apiKeys().create: expiresAt " + expiresAt + " is not in the future");
        }
        if (resource != null && tenant == null) {
            throw new InvalidInputException("apiKeys().create: a platform key cannot be narrowed to a resource;"
                    + " create the key in the resource's tenant scope");
        }
        // The permission before the resource's lookup: a caller without it learns nothing of the tenant's rows.
        tx.authorize("api_key:manage");
        if (resource != null) {
            Resources.requireLive(dsl(), "apiKeys().create", tenant, resource);
        }
        UUID id = Ids.next();
        String prefix = Tokens.prefix();
        String secret = tenant == null
                ? String.join(".", Tokens.PLATFORM_KEY, prefix, Tokens.secret())
                : String.join(".", Tokens.TENANT_KEY, Tokens.encode(tenant), prefix, Tokens.secret());
        OffsetDateTime expires = expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC);
        UUID createdBy = tx.actor().userId().orElse(null);
        String[] scopeArray = scopes.stream().sorted().toArray(String[]::new);
        if (tenant == null) {
            dsl().execute("insert into sentinel.global_api_keys (id, name, key_prefix, key_hash, scopes, created_by, expires_at)"
                    + " values (?, ?, ?, ?, ?::text[], ?, ?::timestamptz)", id, name, prefix, Tokens.sha256(secret), scopeArray,
                    createdBy, expires);
        } else {
            dsl().execute("insert into sentinel.api_keys (tenant_id, id, resource_type, resource_id, name, key_prefix, key_hash, scopes,"
                    + " created_by, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?::timestamptz)", tenant, id,
                    Resources.type(resource), Resources.id(resource), name, prefix,
                    Tokens.sha256(secret), scopeArray, createdBy, expires);
        }
        return new IssuedApiKey(find(id).orElseThrow(), secret);
    }

    @Override
    public void revoke(UUID keyId) {
        ApiKey key = find(keyId).orElseThrow(() -> new NotFoundException("apiKeys().revoke: no API key " + keyId + " in this scope"));
        tx.authorize("api_key:manage");
        if (key.revokedAt() == null) {
            dsl().execute("update sentinel." + (tenant == null ? "global_api_keys" : "api_keys")
                    + " set revoked_at = ?::timestamptz, revoked_by = ? where id = ? and revoked_at is null",
                    tx.now(), tx.actor().userId().orElse(null), keyId);
        }
    }

    @Override
    public Optional<ApiKey> find(UUID keyId) {
        return dsl().fetchOptional(select() + " and id = ?", binds(keyId)).map(ApiKeysImpl::key);
    }

    @Override
    public List<ApiKey> list() {
        return dsl().fetch(select() + " order by created_at desc, id desc", binds()).map(ApiKeysImpl::key);
    }

    private static ApiKey key(Record row) {
        String resourceType = row.get(2, String.class);
        return new ApiKey(row.get(0, UUID.class), row.get(1, UUID.class),
                Resources.of(resourceType, row.get(3, UUID.class)), row.get(4, String.class),
                row.get(5, String.class), Set.of(row.get(6, String[].class)), row.get(7, OffsetDateTime.class),
                row.get(8, OffsetDateTime.class), row.get(9, OffsetDateTime.class));
    }
}
