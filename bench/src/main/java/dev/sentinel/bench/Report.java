package dev.sentinel.bench;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.openjdk.jmh.util.MultisetStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * Writes {@code results.md} (the tables) and {@code chart.png} (the ratios) from JMH's results and
 * the counted round trips. Times are microseconds per operation from JMH's SampleTime mode; the
 * throughput is one thread's, the inverse of the mean.
 */
final class Report {

    /**
     * One benchmark's timings over all rounds.
     *
     * @param mean mean time per operation over every sample of every round, µs
     * @param p50 median over every sample, µs
     * @param p99 99th percentile over every sample, µs
     * @param samples how many operations JMH sampled
     * @param roundMeans the mean of each round, in round order
     * @param roundMedians the median of each round, in round order
     */
    record Stats(double mean, double p50, double p99, long samples, List<Double> roundMeans, List<Double> roundMedians) {

        /** Operations per second of one thread: the inverse of the mean. */
        double opsPerSecond() {
            return 1_000_000 / mean;
        }
    }

    /**
     * A statistic over rounds: its median and quartiles.
     *
     * @param median the median over rounds
     * @param q1 the first quartile
     * @param q3 the third quartile
     * @param rounds how many rounds
     */
    record OverRounds(double median, double q1, double q3, int rounds) {

        static OverRounds of(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            return new OverRounds(quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75), sorted.size());
        }

        private static double quantile(List<Double> sorted, double q) {
            return Report.quantile(sorted, q);
        }

        /** Per round, {@code a / b}. */
        static OverRounds ratio(List<Double> a, List<Double> b) {
            return of(IntStream.range(0, Math.min(a.size(), b.size())).mapToObj(i -> a.get(i) / b.get(i)).toList());
        }

        /** Per round, {@code a - b}. */
        static OverRounds difference(List<Double> a, List<Double> b) {
            return of(IntStream.range(0, Math.min(a.size(), b.size())).mapToObj(i -> a.get(i) - b.get(i)).toList());
        }

        /** The median with the interquartile range over rounds, e.g. {@code 0.93 (0.90–0.97)}. */
        String describe(int decimals) {
            return number(median, decimals) + (rounds > 1 ? " (" + number(q1, decimals) + "–" + number(q3, decimals) + ")" : "");
        }
    }

    /**
     * A scenario as the tables name it.
     *
     * @param key the JMH class's simple name
     * @param title the row label
     */
    record Scenario(String key, String title) {
    }

    /** The scenarios compared across variants, in table order. */
    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("Insert", "1. insert one row + audit entry"),
            new Scenario("FindById", "2. find by id in scope"),
            new Scenario("ListPage", "3. list a page of 50 (keyset)"),
            new Scenario("Update", "4. update two columns, diff audited"),
            new Scenario("SoftDelete", "5. soft delete, audited"),
            new Scenario("TenMutations", "6. transaction of 10 audited mutations"),
            new Scenario("HundredInserts", "8. transaction of 100 audited inserts, batched"),
            new Scenario("TrivialTransaction", "breakdown: a transaction of `select 1`"));

    /** The variants, JMH method name to label. */
    static final Map<String, String> VARIANTS = variants();

    private static Map<String, String> variants() {
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("jdbc", "plain JDBC");
        variants.put("jooq", "hand-written jOOQ");
        variants.put("sentinel", "Sentinel");
        variants.put("sentinelBatched", "Sentinel, batched writes");
        variants.put("hibernate", "Hibernate 7");
        return variants;
    }

    /** Ratios above this are explained by a breakdown, as issue 14 asks. */
    static final double TOLERATED_RATIO = 1.10;

    private final Map<String, Stats> stats;
    private final Map<String, RoundTrips.Count> counts;

    Report(Map<String, Stats> stats, Map<String, RoundTrips.Count> counts) {
        this.stats = stats;
        this.counts = counts;
    }

    /**
     * Pools JMH's results of every round.
     *
     * @param rounds each round's results by benchmark ({@code Scenario.method}); a benchmark has one
     *     result per round
     * @return timings by benchmark
     */
    static Map<String, Stats> stats(Map<String, List<Statistics>> rounds) {
        Map<String, Stats> stats = new LinkedHashMap<>();
        for (Map.Entry<String, List<Statistics>> benchmark : rounds.entrySet()) {
            MultisetStatistics pooled = new MultisetStatistics();
            List<Double> means = new ArrayList<>();
            List<Double> medians = new ArrayList<>();
            for (Statistics round : benchmark.getValue()) {
                round.getRawData().forEachRemaining(sample -> pooled.addValue(sample.getKey(), sample.getValue()));
                means.add(round.getMean());
                medians.add(round.getPercentile(50));
            }
            stats.put(benchmark.getKey(), new Stats(pooled.getMean(), pooled.getPercentile(50), pooled.getPercentile(99),
                    pooled.getN(), List.copyOf(means), List.copyOf(medians)));
        }
        return stats;
    }

    /**
     * The Markdown report.
     *
     * @param header what ran, where, and how to read it
     * @param auditRows an audit row of each kind, by label, to show that both sides write the same
     * @param server the {@link ServerBreakdown}: µs per row by write and kind of work
     * @return the document
     */
    String markdown(String header, Map<String, String> auditRows, Map<String, Map<String, Double>> server) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n").append(header).append('\n');

        md.append("## Scenarios\n\n");
        md.append("p50, mean and p99 in µs per operation over the samples of all rounds; ops/s of one thread (1 / mean).\n"
                + "`× jOOQ` is the time relative to hand-written jOOQ in the same round (below 1 is faster), the median\n"
                + "over rounds with the interquartile range over rounds in brackets: of the medians (p50), which the\n"
                + "other builds' load disturbs least, and of the means, which include its stalls. Round trips are counted on the wire,\n"
                + "statements in JDBC (one per `execute` call, the commit included; pgjdbc's BEGIN rides with the first):\n"
                + "the floor is one round trip per statement.\n\n");
        md.append("| scenario | variant | ops/s | p50 µs | mean µs | p99 µs | × jOOQ (p50) | × jOOQ (mean) | round trips | statements |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario scenario : SCENARIOS) {
            Stats jooq = stats.get(scenario.key() + ".jooq");
            for (Map.Entry<String, String> variant : VARIANTS.entrySet()) {
                String key = scenario.key() + "." + variant.getKey();
                Stats s = stats.get(key);
                RoundTrips.Count c = counts.get(key);
                if (s == null && c == null && !variant.getKey().equals("jdbc")) {
                    continue; // not written for this variant (the batched forms, the hundred inserts)
                }
                boolean compared = s != null && jooq != null;
                md.append("| ").append(variant.getKey().equals("jdbc") ? scenario.title() : "").append(" | ")
                        .append(variant.getValue()).append(" | ")
                        .append(s == null ? "–" : number(s.opsPerSecond(), 0)).append(" | ")
                        .append(s == null ? "–" : number(s.p50(), 0)).append(" | ")
                        .append(s == null ? "–" : number(s.mean(), 0)).append(" | ")
                        .append(s == null ? "–" : number(s.p99(), 0)).append(" | ")
                        .append(compared ? bold(OverRounds.ratio(s.roundMedians(), jooq.roundMedians()).describe(2), variant.getKey()) : "–")
                        .append(" | ")
                        .append(compared ? OverRounds.ratio(s.roundMeans(), jooq.roundMeans()).describe(2) : "–").append(" | ")
                        .append(c == null ? "–" : number(c.roundTrips(), 0)).append(" | ")
                        .append(c == null ? "–" : number(c.statements(), 0)).append(" |\n");
            }
        }

        md.append("\n## The audit trigger's own cost\n\n");
        md.append("The same Sentinel code path on `notes` (trigger on) and on its twin `plain_notes` (no trigger; the\n"
                + "same row-level security, indexes and `touch_updated_at`), run one after the other in each round. Both\n"
                + "take three round trips: the trigger adds no round trip, only server time. Costs and ratios are the\n"
                + "median over rounds of the per-round difference and ratio (interquartile range in brackets).\n\n");
        md.append("| write | trigger off: p50 µs (mean / p99) | trigger on: p50 µs (mean / p99) | cost per write, p50 | ratio, p50 | cost per write, mean | ratio, mean |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (String write : List.of("insert", "update")) {
            Stats off = stats.get("AuditTrigger." + write + "Unaudited");
            Stats on = stats.get("AuditTrigger." + write + "Audited");
            boolean both = off != null && on != null;
            md.append("| ").append(write).append(" | ").append(triple(off)).append(" | ").append(triple(on)).append(" | ")
                    .append(both ? "**" + OverRounds.difference(on.roundMedians(), off.roundMedians()).describe(0) + " µs**" : "–")
                    .append(" | ")
                    .append(both ? "**" + OverRounds.ratio(on.roundMedians(), off.roundMedians()).describe(2) + "**" : "–")
                    .append(" | ")
                    .append(both ? OverRounds.difference(on.roundMeans(), off.roundMeans()).describe(0) + " µs" : "–")
                    .append(" | ")
                    .append(both ? OverRounds.ratio(on.roundMeans(), off.roundMeans()).describe(2) : "–")
                    .append(" |\n");
        }

        if (!server.isEmpty()) {
            md.append("\n### Where the trigger's time goes, on the server\n\n");
            md.append("Each write run " + ServerBreakdown.ROWS + " times in one `DO` block (no round trip, no Java), median of "
                    + (ServerBreakdown.REPEATS - 1) + " interleaved\n"
                    + "repeats, µs per row. The audit row itself (its insert: foreign key, indexes, row-level security) is\n"
                    + "what hand-written code pays too; the trigger's own work (PL/pgSQL, the settings, the diff built from\n"
                    + "`to_jsonb`) is what the trigger adds over a hand-sent audit row, in exchange for the round trip and the\n"
                    + "Java diff it saves.\n\n");
            md.append("| write | row only | + audit row sent by hand | + audit row by trigger | the audit row itself | the trigger's own work |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, Map<String, Double>> write : server.entrySet()) {
                double row = write.getValue().get(ServerBreakdown.KINDS.get(0));
                double hand = write.getValue().get(ServerBreakdown.KINDS.get(1));
                double trigger = write.getValue().get(ServerBreakdown.KINDS.get(2));
                md.append("| ").append(write.getKey()).append(" | ").append(number(row, 0)).append(" | ").append(number(hand, 0))
                        .append(" | ").append(number(trigger, 0)).append(" | ").append(signed(hand - row)).append(" | ")
                        .append(signed(trigger - hand)).append(" |\n");
            }
        }

        md.append("\n## Sentinel against hand-written jOOQ, broken down\n\n");
        md.append("Sentinel's extra time per operation (per-round difference of the medians, median over rounds), split\n"
                + "into the fixed cost of its transaction (the difference on a transaction of one `select 1`: Sentinel's\n"
                + "settings and pins instead of one `SET LOCAL`, a request id, the MDC, a jOOQ context with error\n"
                + "translation) and the rest: the\n"
                + "statements themselves (the repository's checks, SQL building and mapping, and the server time of the\n"
                + "trigger where it replaces a hand-written audit statement and its round trip). Negative is faster.\n\n");
        md.append("| scenario | × jOOQ (p50) | Sentinel − jOOQ | of which: transaction | of which: statements | round trips Sentinel / jOOQ |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        Stats emptySentinel = stats.get("TrivialTransaction.sentinel");
        Stats emptyJooq = stats.get("TrivialTransaction.jooq");
        OverRounds fixed = emptySentinel == null || emptyJooq == null ? null
                : OverRounds.difference(emptySentinel.roundMedians(), emptyJooq.roundMedians());
        for (Scenario scenario : SCENARIOS.subList(0, SCENARIOS.size() - 1)) {
            Stats s = stats.get(scenario.key() + ".sentinel");
            Stats j = stats.get(scenario.key() + ".jooq");
            RoundTrips.Count cs = counts.get(scenario.key() + ".sentinel");
            RoundTrips.Count cj = counts.get(scenario.key() + ".jooq");
            OverRounds extra = s == null || j == null ? null : OverRounds.difference(s.roundMedians(), j.roundMedians());
            md.append("| ").append(scenario.title())
                    .append(" | ").append(extra == null ? "–" : OverRounds.ratio(s.roundMedians(), j.roundMedians()).describe(2))
                    .append(" | ").append(extra == null ? "–" : signed(extra.median()) + " µs")
                    .append(" | ").append(fixed == null ? "–" : signed(fixed.median()) + " µs")
                    .append(" | ").append(extra == null || fixed == null ? "–" : signed(extra.median() - fixed.median()) + " µs")
                    .append(" | ").append(cs == null || cj == null ? "–" : number(cs.roundTrips(), 0) + " / " + number(cj.roundTrips(), 0))
                    .append(" |\n");
        }

        if (!auditRows.isEmpty()) {
            md.append("\n## The audit rows compared\n\n");
            md.append("The last audit row of an update, as Sentinel's trigger wrote it (`public.notes`) and as the hand-written\n"
                    + "jOOQ variant wrote it (`public.plain_notes`): the same columns and the same diff shape.\n\n");
            for (Map.Entry<String, String> row : auditRows.entrySet()) {
                md.append("- ").append(row.getKey()).append(": `").append(row.getValue()).append("`\n");
            }
        }

        md.append("\n## What the round trips carry\n\n");
        md.append("The SQL of each round trip of a first, cold call (later calls reuse server-prepared statements and\n"
                + "send no text).\n\n");
        for (String key : List.of("Insert.sentinel", "Insert.jooq", "Insert.hibernate", "Update.hibernate", "TenMutations.hibernate",
                "TenMutations.sentinelBatched", "HundredInserts.sentinel")) {
            RoundTrips.Count c = counts.get(key);
            if (c == null) {
                continue;
            }
            md.append("`").append(key).append("`:\n\n");
            int n = 1;
            for (List<String> trip : c.firstCall()) {
                md.append(n++).append(". ");
                List<String> shown = new ArrayList<>();
                for (String sql : trip) {
                    shown.add("`" + shorten(sql) + "`");
                }
                md.append(shown.isEmpty() ? "(no SQL text: a prepared statement)" : String.join(" · ", shown)).append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String bold(String text, String variant) {
        return variant.equals("sentinel") ? "**" + text + "**" : text;
    }

    /**
     * The scenarios' panel of the chart: each variant's time relative to hand-written jOOQ, and the
     * trigger's on/off ratios.
     *
     * @return the panel (no bars if the scenarios did not run)
     */
    Chart.Panel panel() {
        List<Chart.Bar> bars = new ArrayList<>();
        for (Scenario scenario : SCENARIOS) {
            Stats jooq = stats.get(scenario.key() + ".jooq");
            if (jooq == null) {
                continue;
            }
            for (Map.Entry<String, String> variant : VARIANTS.entrySet()) {
                Stats s = stats.get(scenario.key() + "." + variant.getKey());
                if (s != null) {
                    Color color = switch (variant.getKey()) {
                        case "jdbc" -> Chart.JDBC;
                        case "jooq" -> Chart.JOOQ;
                        case "hibernate" -> Chart.HIBERNATE;
                        default -> Chart.SENTINEL;
                    };
                    double ratio = OverRounds.ratio(s.roundMedians(), jooq.roundMedians()).median();
                    bars.add(new Chart.Bar(scenario.title(), variant.getValue(), ratio, number(ratio, 2) + "×", color));
                }
            }
        }
        for (String write : List.of("insert", "update")) {
            Stats off = stats.get("AuditTrigger." + write + "Unaudited");
            Stats on = stats.get("AuditTrigger." + write + "Audited");
            if (off != null && on != null) {
                double ratio = OverRounds.ratio(on.roundMedians(), off.roundMedians()).median();
                bars.add(new Chart.Bar("7. audit trigger: " + write, "off", 1.0, "1.00×", Chart.JOOQ));
                bars.add(new Chart.Bar("7. audit trigger: " + write, "on", ratio, number(ratio, 2) + "×", Chart.TRIGGER));
            }
        }
        return new Chart.Panel("Scenarios 1–6 and 8: time per operation relative to hand-written jOOQ (median latency; lower is faster)",
                bars, false, 1.0, "×", "7: the same Sentinel code on notes (trigger on) relative to plain_notes (trigger off).");
    }

    private static String triple(Stats s) {
        return s == null ? "–" : number(s.p50(), 0) + " (" + number(s.mean(), 0) + " / " + number(s.p99(), 0) + ")";
    }

    private static String shorten(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() > 140 ? oneLine.substring(0, 137) + "..." : oneLine;
    }

    /**
     * A quantile by linear interpolation between the closest ranks.
     *
     * @param sorted values in ascending order, at least one
     * @param q the quantile, 0 to 1
     * @return the value
     */
    static double quantile(List<Double> sorted, double q) {
        double position = q * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (position - below);
    }

    static String signed(double value) {
        return (value >= 0 ? "+" : "−") + number(Math.abs(value), 1);
    }

    static String number(double value, int decimals) {
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,.0f", value).replace(',', ' ');
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
