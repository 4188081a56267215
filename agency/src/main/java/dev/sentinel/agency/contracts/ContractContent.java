package dev.sentinel.agency.contracts;

import dev.sentinel.agency.db.enums.BodyFormat;
import dev.sentinel.core.InvalidInputException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a new contract version holds: its text ({@link Body}), whose SHA-256 Sentinel computes and
 * the database checks, or a reference to a document stored elsewhere ({@link Document}) with the
 * SHA-256 of its bytes, which only the holder of the bytes can check.
 */
public sealed interface ContractContent {

    /**
     * The text of a version.
     *
     * @param text the text, 1 to 1,000,000 characters
     * @param format its markup
     */
    record Body(String text, BodyFormat format) implements ContractContent {

        /** The longest body accepted. */
        public static final int MAX_LENGTH = 1_000_000;

        /**
         * Validates the body.
         *
         * @throws InvalidInputException if the text is blank or too long, or the format missing
         */
        public Body {
            if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
                throw new InvalidInputException("ContractContent.Body: the text must have 1 to " + MAX_LENGTH
                        + " characters and not be blank");
            }
            if (format == null) {
                throw new InvalidInputException("ContractContent.Body: format is null; say MARKDOWN, HTML or PLAIN");
            }
        }
    }

    /**
     * A document stored elsewhere (a PDF in object storage, say).
     *
     * @param reference where it is: a URI or storage key, 1 to 2000 characters
     * @param sha256Hex the SHA-256 of its bytes, 64 hexadecimal digits
     */
    record Document(String reference, String sha256Hex) implements ContractContent {

        /**
         * Validates the reference and normalizes the checksum to lower case.
         *
         * @throws InvalidInputException if the reference is blank or too long or the checksum is
         *     not 64 hexadecimal digits
         */
        public Document {
            if (reference == null || reference.isBlank() || reference.length() > 2000) {
                throw new InvalidInputException("ContractContent.Document: the reference must have 1 to 2000 characters");
            }
            if (sha256Hex == null || !sha256Hex.matches("[0-9a-fA-F]{64}")) {
                throw new InvalidInputException("ContractContent.Document: the checksum must be the document's SHA-256"
                        + " as 64 hexadecimal digits");
            }
            sha256Hex = sha256Hex.toLowerCase(Locale.ROOT);
        }

        /**
         * The checksum as bytes.
         *
         * @return 32 bytes
         */
        public byte[] sha256() {
            return HexFormat.of().parseHex(sha256Hex);
        }
    }

    /**
     * A Markdown body.
     *
     * @param text the text
     * @return the content
     */
    static ContractContent markdown(String text) {
        return new Body(text, BodyFormat.MARKDOWN);
    }

    /**
     * A reference to a stored document.
     *
     * @param reference where it is
     * @param sha256Hex the SHA-256 of its bytes, in hexadecimal
     * @return the content
     */
    static ContractContent document(String reference, String sha256Hex) {
        return new Document(reference, sha256Hex);
    }
}
