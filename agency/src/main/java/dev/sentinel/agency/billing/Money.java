package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * The arithmetic rules of billing, in one place. Amounts are exact decimals; a currency's scale is
 * its ISO 4217 minor unit as {@link Currency#getDefaultFractionDigits()} gives it (2 for EUR, 0 for
 * JPY, 3 for BHD); rounding is {@link #ROUNDING}, half up (ties away from zero), applied to each
 * line total and to each tax rate's tax. Thread-safe (stateless).
 *
 * <p>Why half up and not half even: it is how invoices are checked by hand, by tax offices and in
 * spreadsheets ({@code ROUND} in Excel and LibreOffice), what the EU's euro conversion rules
 * prescribe (Regulation 1103/97), and what PostgreSQL's {@code round(numeric, s)} does, so a report
 * in SQL gets the same cents. Half even removes a statistical bias over many roundings, which
 * matters for interest and ledgers at scale, not for the few roundings on one invoice.
 */
public final class Money {

    /** The one rounding rule: half up, ties away from zero (symmetric for negative discount lines). */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private Money() {
    }

    /**
     * Checks an ISO 4217 currency code.
     *
     * @param currency an upper-case code such as {@code EUR}
     * @return the same code
     * @throws InvalidInputException if it is not a currency Java knows with a decimal scale (pseudo
     *     currencies such as {@code XAU} or {@code XXX} have none)
     */
    public static String requireCurrency(String currency) {
        scale(currency);
        return currency;
    }

    /**
     * The number of decimals of a currency's amounts.
     *
     * @param currency an upper-case ISO 4217 code
     * @return 0 to 4 (2 for EUR, 0 for JPY, 3 for BHD, 4 for CLF)
     * @throws InvalidInputException for an unknown code or one without a decimal scale
     */
    public static int scale(String currency) {
        if (currency == null || !CODE.matcher(currency).matches()) {
            throw new InvalidInputException("currency '" + currency + "' is not an ISO 4217 code: use three upper-case"
                    + " letters such as EUR, USD or JPY");
        }
        Currency known;
        try {
            known = Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("currency '" + currency + "' is not an ISO 4217 currency; use a code such as"
                    + " EUR, USD or JPY", e);
        }
        int digits = known.getDefaultFractionDigits();
        if (digits < 0) {
            throw new InvalidInputException("currency '" + currency + "' (" + known.getDisplayName(java.util.Locale.ROOT)
                    + ") has no minor unit and cannot be invoiced; use a national currency such as EUR");
        }
        return digits;
    }

    /**
     * Rounds an amount to its currency's scale with {@link #ROUNDING}.
     *
     * @param amount an exact amount
     * @param currency the currency
     * @return the rounded amount, with exactly the currency's scale
     */
    public static BigDecimal round(BigDecimal amount, String currency) {
        return amount.setScale(scale(currency), ROUNDING);
    }

    /**
     * A line's total: quantity times unit price, exactly, then rounded once to the currency's scale.
     * {@code 3 x 0.335 EUR = 1.005 -> 1.01}; {@code 1.5 x 99 JPY = 148.5 -> 149};
     * {@code 1 x -0.125 EUR = -0.13} (ties away from zero).
     *
     * @param quantity the quantity
     * @param unitPrice the net unit price (negative for a discount)
     * @param currency the currency
     * @return the line total
     */
    public static BigDecimal lineTotal(BigDecimal quantity, BigDecimal unitPrice, String currency) {
        return round(quantity.multiply(unitPrice), currency);
    }

    /**
     * The tax on an amount at a rate in percent, rounded to the currency's scale.
     *
     * @param base the net amount the rate applies to
     * @param ratePercent the rate, such as {@code 19} or {@code 7.7}
     * @param currency the currency
     * @return the tax
     */
    public static BigDecimal tax(BigDecimal base, BigDecimal ratePercent, String currency) {
        return round(base.multiply(ratePercent).movePointLeft(2), currency);
    }
}
