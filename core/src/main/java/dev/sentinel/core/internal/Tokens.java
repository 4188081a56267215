package dev.sentinel.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The shape of Sentinel's credentials. A tenant API key is {@code sntk.<tenant>.<prefix>.<secret>},
 * a platform key {@code sntg.<prefix>.<secret>}, a refresh token {@code sntr.<tenant>.<secret>}:
 * the tenant is its id in base64url (22 characters), so verification knows which tenant's scope to
 * open; the prefix (12 characters) finds the row; the secret is 256 random bits (43 characters).
 * The fixed leading word lets secret scanners recognise a leaked key. Only the SHA-256 digest of
 * the whole string is stored: the secret has 256 bits of entropy, so a slow hash would add nothing.
 */
final class Tokens {

    static final String TENANT_KEY = "sntk";
    static final String PLATFORM_KEY = "sntg";
    static final String REFRESH_TOKEN = "sntr";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]+");

    private Tokens() {
    }

    /** Random bytes from {@link SecureRandom}, base64url without padding. */
    static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return ENCODER.encodeToString(value);
    }

    /** A lookup prefix: 9 random bytes, 12 characters. */
    static String prefix() {
        return random(9);
    }

    /** A secret: 32 random bytes, 43 characters. */
    static String secret() {
        return random(32);
    }

    static String encode(UUID id) {
        return ENCODER.encodeToString(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array());
    }

    /** The UUID of a 22-character part, or null if it is not one. */
    static UUID decode(String part) {
        if (part.length() != 22 || !PART.matcher(part).matches()) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(part));
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    /** The parts of a credential with this leading word, or null if its shape is wrong. */
    static String[] parts(String presented, String word, int count) {
        if (presented == null || presented.length() > 200) {
            return null;
        }
        String[] parts = presented.split("\\.", -1);
        if (parts.length != count || !parts[0].equals(word)) {
            return null;
        }
        for (int i = 1; i < count; i++) {
            if (!PART.matcher(parts[i]).matches()) {
                return null;
            }
        }
        return parts;
    }

    static byte[] sha256(String presented) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(presented.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Constant-time comparison, so the time taken does not tell how much of a guess was right. */
    static boolean matches(byte[] expected, String presented) {
        return MessageDigest.isEqual(expected, sha256(presented));
    }
}
