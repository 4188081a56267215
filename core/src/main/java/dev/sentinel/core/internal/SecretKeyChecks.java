package dev.sentinel.core.internal;

import static dev.sentinel.core.db.Tables.SECRET_KEY_CHECKS;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.db.tables.records.SecretKeyChecksRecord;
import dev.sentinel.core.secrets.SecretKeyException;
import org.jooq.DSLContext;
import org.jooq.Result;

/**
 * The start-up check of the secret keys against {@code sentinel.secret_key_checks} (kernel migration V9): records
 * the primary key's check value the first time it is used in this database, then opens the check
 * value of every configured key id that has one. A key id configured with other material than
 * the one that sealed data here fails before anything is sealed with it.
 */
public final class SecretKeyChecks {

    private SecretKeyChecks() {
    }

    /**
     * Checks the keys, in one system-scope transaction.
     *
     * @param system the system scope
     * @param cipher the configured keys
     * @throws SecretKeyException naming the key id whose material differs
     * @throws ConfigurationException if the check table cannot be read (migrations missing)
     */
    public static void verify(Scope system, SecretCipher cipher) {
        try {
            system.useTransaction(tx -> {
                DSLContext dsl = tx.dsl();
                String primary = cipher.primaryKeyId();
                dsl.insertInto(SECRET_KEY_CHECKS)
                        .set(SECRET_KEY_CHECKS.KEY_ID, primary)
                        .set(SECRET_KEY_CHECKS.KEY_CHECK, cipher.keyCheck(primary))
                        .onConflict(SECRET_KEY_CHECKS.KEY_ID).doNothing()
                        .execute();
                Result<SecretKeyChecksRecord> checks = dsl.selectFrom(SECRET_KEY_CHECKS)
                        .where(SECRET_KEY_CHECKS.KEY_ID.in(cipher.keyIds())).fetch();
                for (SecretKeyChecksRecord check : checks) {
                    if (!cipher.opensKeyCheck(check.getKeyId(), check.getKeyCheck())) {
                        throw new SecretKeyException("Secret key " + check.getKeyId() + " is not the key material that"
                                + " sealed secrets in this database under that id (its check value, recorded "
                                + check.getCreatedAt() + " in sentinel.secret_key_checks, does not open): configure the"
                                + " original material for " + check.getKeyId() + "; a new key needs a new id", check.getKeyId());
                    }
                }
            });
        } catch (SecretKeyException e) {
            throw e;
        } catch (SentinelException e) {
            throw new ConfigurationException("Sentinel: could not check the secret keys against sentinel.secret_key_checks"
                    + " (apply Sentinel's migrations, V9 or later): " + e.getMessage(), e);
        }
    }
}
