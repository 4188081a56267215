/**
 * Secrets at rest: columns commented {@code sentinel:secret} hold {@link dev.sentinel.core.secrets.Secret}
 * values, sealed with AES-256-GCM (through Google Tink) under keys that the service supplies as
 * {@link dev.sentinel.core.secrets.SecretKeys}, and bound to their table, column, tenant and row.
 * {@link dev.sentinel.core.secrets.SecretRotation} re-seals them under a new key. See
 * {@code docs/secrets.md}.
 *
 * @serial exclude
 */
package dev.sentinel.core.secrets;
