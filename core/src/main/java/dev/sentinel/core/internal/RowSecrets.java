package dev.sentinel.core.internal;

import dev.sentinel.core.secrets.Secret;
import dev.sentinel.core.secrets.SecretIntegrityException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.TableField;
import org.jooq.TableRecord;

/**
 * Seals the secret columns of a row about to be written and binds those of rows read, for the
 * generic repository and the rotation. Stateless.
 */
final class RowSecrets {

    private RowSecrets() {
    }

    /**
     * Replaces every {@link Secret} among the values of a row about to be written by its form
     * sealed for that row under the primary key. A clear value is sealed; a value read from this
     * very row and already under the primary key is kept; a value read from another row is opened
     * and sealed again for this one (copying a secret through the API works); a value read
     * through raw SQL is kept only if it opens for this row.
     *
     * @param meta the table
     * @param values the values to write, changed in place
     * @param cipher the Sentinel's cipher, or {@code null}
     * @param tenantId the row's tenant, or {@code null} for a global table
     * @param rowId the row's id
     * @param <R> the record type
     * @throws dev.sentinel.core.secrets.SecretKeyException if a secret is to be sealed without keys
     */
    static <R extends TableRecord<R>> void seal(TableMeta<R> meta, Map<Field<?>, Object> values, SecretCipher cipher,
            UUID tenantId, UUID rowId) {
        for (TableField<R, Secret> column : meta.secrets()) {
            if (values.get(column) instanceof Secret secret) {
                values.put(column, sealFor(secret, slot(meta, column, tenantId, rowId), cipher));
            }
        }
    }

    /**
     * Whether any secret column is among the values with a non-null value.
     *
     * @param meta the table
     * @param values the values to write
     * @param <R> the record type
     * @return {@code true} if sealing needs the row's id
     */
    static <R extends TableRecord<R>> boolean anySet(TableMeta<R> meta, Map<Field<?>, Object> values) {
        for (TableField<R, Secret> column : meta.secrets()) {
            if (values.get(column) != null) {
                return true;
            }
        }
        return false;
    }

    static Secret sealFor(Secret secret, SecretSlot slot, SecretCipher cipher) {
        if (cipher == null) {
            throw SecretCipher.noKeys(slot);
        }
        SecretAccess.Hooks hooks = SecretAccess.hooks();
        String clear = hooks.clearText(secret);
        if (clear == null) {
            String stored = hooks.ciphertext(secret);
            SecretBinding binding = hooks.binding(secret);
            if (binding != null && binding.slot().equals(slot) && cipher.isCurrent(stored)) {
                return secret;
            }
            if (binding != null) {
                clear = binding.open(stored);
            } else {
                try {
                    clear = cipher.open(stored, slot);
                } catch (SecretIntegrityException e) {
                    throw new SecretIntegrityException("The sealed Secret written to " + slot.describe() + " was not sealed"
                            + " for that row: it was read through raw SQL from another row, column, table or tenant, or"
                            + " altered. Write Secret.of(clearText) instead", e);
                }
                if (cipher.isCurrent(stored)) {
                    return hooks.sealed(stored, null);
                }
            }
        }
        return hooks.sealed(cipher.seal(clear, slot), null);
    }

    /**
     * Binds the sealed secrets of rows read to their rows, so that {@code reveal()} can open them.
     * The records' changed flags stay as they were: binding is not a change.
     *
     * @param meta the table
     * @param record a row as read, or {@code null}
     * @param cipher the Sentinel's cipher, or {@code null} (then {@code reveal()} says so)
     * @param systemScope whether the reading transaction is in the system scope: a global row's
     *     secret (a user's MFA seed) opens only there, never in a tenant that can read the row
     * @param <R> the record type
     * @return the same record
     */
    static <R extends TableRecord<R>> R bind(TableMeta<R> meta, R record, SecretCipher cipher, boolean systemScope) {
        if (record == null || !meta.hasSecrets()) {
            return record;
        }
        SecretAccess.Hooks hooks = SecretAccess.hooks();
        UUID tenantId = meta.tenantId() == null ? null : record.get(meta.tenantId());
        UUID rowId = record.get(meta.id());
        for (TableField<R, Secret> column : meta.secrets()) {
            Secret secret = record.get(column);
            String stored = secret == null ? null : hooks.ciphertext(secret);
            if (stored != null) {
                boolean changed = record.changed(column);
                SecretSlot slot = slot(meta, column, tenantId, rowId);
                record.set(column, hooks.sealed(stored, meta.tenantId() == null && !systemScope
                        ? SecretBinding.refusing(slot, slot.table() + "." + slot.column() + " belongs to a global row, whose"
                                + " secrets open only in the system scope (sentinel.system(actor)), never in a tenant's scope")
                        : new SecretBinding(cipher, slot)));
                record.changed(column, changed);
            }
        }
        return record;
    }

    static <R extends TableRecord<R>> List<R> bindAll(TableMeta<R> meta, List<R> records, SecretCipher cipher, boolean systemScope) {
        if (meta.hasSecrets()) {
            records.forEach(record -> bind(meta, record, cipher, systemScope));
        }
        return records;
    }

    static SecretSlot slot(TableMeta<?> meta, Field<?> column, UUID tenantId, UUID rowId) {
        return new SecretSlot(meta.qualifiedName(), column.getName(), tenantId == null ? "" : tenantId.toString(),
                String.valueOf(rowId));
    }
}
