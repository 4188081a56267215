package dev.sentinel.agency.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The totals of an invoice, computed by one rule: each line total is rounded to the currency's
 * scale ({@link Money#lineTotal}); the net total is their exact sum; tax is computed per tax rate,
 * on the sum of that rate's line totals, and rounded once per rate ({@link Money#tax}); the tax
 * total is the sum of those, and the gross total net plus tax. Computing tax per rate rather than
 * per line is what the EU VAT rules expect on an invoice (a taxable amount and a tax amount per
 * rate), and rounds fewer times.
 *
 * <p>Stored on the invoice when it is issued (then frozen); computed on each read while a draft.
 *
 * @param net the sum of the line totals
 * @param tax the sum of the per-rate taxes
 * @param gross net plus tax
 * @param byRate one entry per tax rate in use, lowest rate first
 */
public record InvoiceTotals(BigDecimal net, BigDecimal tax, BigDecimal gross, List<TaxLine> byRate) {

    /**
     * Copies the list.
     */
    public InvoiceTotals {
        byRate = List.copyOf(byRate);
    }

    /**
     * The tax of one rate.
     *
     * @param ratePercent the rate in percent
     * @param base the sum of the line totals at this rate
     * @param tax the base times the rate, rounded to the currency's scale
     */
    public record TaxLine(BigDecimal ratePercent, BigDecimal base, BigDecimal tax) {
    }

    /**
     * Computes the totals of lines.
     *
     * @param currency the invoice's currency
     * @param items the lines, with their line totals
     * @return the totals, each at the currency's scale
     */
    public static InvoiceTotals of(String currency, List<InvoiceItem> items) {
        int scale = Money.scale(currency);
        BigDecimal zero = BigDecimal.ZERO.setScale(scale);
        Map<BigDecimal, BigDecimal> baseByRate = new TreeMap<>();
        BigDecimal net = zero;
        for (InvoiceItem item : items) {
            BigDecimal line = item.lineTotal().setScale(scale, Money.ROUNDING);
            net = net.add(line);
            // 19, 19.0 and 19.00 are one rate: the key is stripped of trailing zeros.
            baseByRate.merge(item.taxRate().stripTrailingZeros(), line, BigDecimal::add);
        }
        List<TaxLine> byRate = new ArrayList<>();
        BigDecimal tax = zero;
        for (Map.Entry<BigDecimal, BigDecimal> rate : baseByRate.entrySet()) {
            BigDecimal rateTax = Money.tax(rate.getValue(), rate.getKey(), currency);
            byRate.add(new TaxLine(rate.getKey(), rate.getValue(), rateTax));
            tax = tax.add(rateTax);
        }
        return new InvoiceTotals(net, tax, net.add(tax), byRate);
    }
}
