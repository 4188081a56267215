package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.util.regex.Pattern;

/** The checks that {@link NewClient} and {@link ClientChange} share, mirroring the table's CHECKs. */
final class ClientRules {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private ClientRules() {
    }

    static void validate(String name, String billingEmail, String countryCode, String currency) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("client: the name must be 1 to 200 characters and not blank");
        }
        if (billingEmail != null && (billingEmail.length() > 320 || !EMAIL.matcher(billingEmail).matches())) {
            throw new InvalidInputException("client: '" + billingEmail + "' is not an e-mail address");
        }
        if (countryCode != null && !COUNTRY.matcher(countryCode).matches()) {
            throw new InvalidInputException("client: country code '" + countryCode + "' must be ISO 3166-1 alpha-2 in"
                    + " upper case, such as DE");
        }
        if (currency != null) {
            Money.requireCurrency(currency);
        }
    }
}
