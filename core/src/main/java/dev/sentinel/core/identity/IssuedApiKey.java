package dev.sentinel.core.identity;

/**
 * A newly created API key: the stored metadata and the key itself, which exists nowhere else. Show
 * it to its owner once; Sentinel keeps only its SHA-256 digest. {@link #toString} leaves the key out.
 *
 * @param key the stored metadata
 * @param secret the whole key as the client presents it
 */
public record IssuedApiKey(ApiKey key, String secret) {

    @Override
    public String toString() {
        return "IssuedApiKey[" + key + ", secret=(redacted)]";
    }
}
