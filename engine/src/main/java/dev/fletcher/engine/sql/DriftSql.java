package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.DriftMethod;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A drift statistic computed in the warehouse from a relation of values, one row each: {@code _fl_x} (the value, a
 * number) and {@code _fl_w} (0 in the baseline window, 1 in the current one). The answer is one row:
 * {@code _fl_stat}, {@code _fl_nb} (baseline values) and {@code _fl_nc} (current values); the statistic is null when
 * either window has no values.
 *
 * <ul>
 *   <li>PSI: cut points at the baseline's quantiles i / bins (continuous, interpolated), bins (-inf, c1], (c1, c2],
 *       ..., (c_{bins-1}, inf); PSI = Σ (cur - base) · ln(cur / base) over the bins' shares, a share of 0 counting as
 *       0.0001.</li>
 *   <li>KS: D = max over the values seen of |F_base(x) - F_cur(x)|, the empirical distribution functions.</li>
 * </ul>
 */
public final class DriftSql {
    public static final double EMPTY_SHARE = 0.0001;

    private DriftSql() {
    }

    /**
     * The values of a source column with event time in (baselineStart, end], those after currentStart in the current
     * window; nulls left out.
     */
    public static Statement columnValues(Source source, String column, Instant baselineStart, Instant currentStart,
            Instant end, Dialect dialect) {
        String ts = "s." + dialect.quoteIdentifier(source.timestamp());
        String x = "s." + dialect.quoteIdentifier(column);
        return Statement.of(Select.of(dialect.castToDouble(x) + " AS _fl_x", window(ts, dialect))
                .from(Sql.relation(dialect, source), "s").where(List.of(ts + " > " + dialect.timestampParameter(),
                        ts + " <= " + dialect.timestampParameter(), x + " IS NOT NULL")).toString(),
                currentStart, baselineStart, end);
    }

    /**
     * A feature's values from a training set over a time range (each entity at each of its source's event times),
     * those with the row's time after currentStart in the current window; nulls left out.
     */
    public static Statement featureValues(Statement trainingSet, String featureColumn, String timestampColumn,
            Instant currentStart, Dialect dialect) {
        String x = "t." + dialect.quoteIdentifier(featureColumn);
        List<Object> parameters = new ArrayList<>();
        parameters.add(currentStart);
        parameters.addAll(trainingSet.parameters());
        return new Statement(Select.of(dialect.castToDouble(x) + " AS _fl_x",
                window("t." + dialect.quoteIdentifier(timestampColumn), dialect)).fromQuery(trainingSet.sql(), "t")
                .where(x + " IS NOT NULL").toString(), parameters);
    }

    /** Which window a value is in, by its time: 1 after the current window's start (a parameter), else 0. */
    private static String window(String time, Dialect dialect) {
        return "CASE WHEN " + time + " > " + dialect.timestampParameter() + " THEN 1 ELSE 0 END AS _fl_w";
    }

    public static Statement render(Statement values, DriftMethod method, int bins, Dialect dialect) {
        List<Sql.Cte> ctes = new ArrayList<>();
        ctes.add(new Sql.Cte("_fl_values", values.sql(), true));
        String nb = "SUM(CASE WHEN _fl_w = 0 THEN 1 ELSE 0 END)";
        String nc = "SUM(CASE WHEN _fl_w = 1 THEN 1 ELSE 0 END)";
        ctes.add(new Sql.Cte("_fl_n", "SELECT " + dialect.castToDouble("COALESCE(" + nb + ", 0)") + " AS _fl_nb, "
                + dialect.castToDouble("COALESCE(" + nc + ", 0)") + " AS _fl_nc FROM _fl_values"));
        String statistic;
        if (method == DriftMethod.PSI) {
            if (bins < 2) {
                throw new IllegalArgumentException("PSI needs at least 2 bins, got " + bins);
            }
            List<String> cuts = new ArrayList<>();
            List<String> above = new ArrayList<>();
            for (int i = 1; i < bins; i++) {
                cuts.add(dialect.percentile("_fl_x", (double) i / bins) + " AS _fl_c" + i);
                above.add("CASE WHEN v._fl_x > c._fl_c" + i + " THEN 1 ELSE 0 END");
            }
            ctes.add(new Sql.Cte("_fl_cuts", Select.of(cuts).from("_fl_values").where("_fl_w = 0").inline()));
            ctes.add(new Sql.Cte("_fl_binned", "SELECT v._fl_w, " + String.join(" + ", above) + " AS _fl_bin"
                    + "\nFROM _fl_values AS v CROSS JOIN _fl_cuts AS c"));
            ctes.add(new Sql.Cte("_fl_counts", "SELECT _fl_bin, " + dialect.castToDouble(nb) + " AS _fl_b, "
                    + dialect.castToDouble(nc) + " AS _fl_c FROM _fl_binned GROUP BY _fl_bin"));
            String empty = dialect.castToDouble(Double.toString(EMPTY_SHARE));
            ctes.add(new Sql.Cte("_fl_shares", "SELECT CASE WHEN k._fl_b = 0 THEN " + empty + " ELSE k._fl_b / n._fl_nb"
                    + " END AS _fl_base, CASE WHEN k._fl_c = 0 THEN " + empty + " ELSE k._fl_c / n._fl_nc END AS _fl_cur"
                    + "\nFROM _fl_counts AS k CROSS JOIN _fl_n AS n WHERE n._fl_nb > 0 AND n._fl_nc > 0"));
            statistic = "(SELECT SUM((_fl_cur - _fl_base) * LN(_fl_cur / _fl_base)) FROM _fl_shares)";
        } else {
            ctes.add(new Sql.Cte("_fl_steps", "SELECT _fl_x, " + dialect.castToDouble(nb) + " AS _fl_db, "
                    + dialect.castToDouble(nc) + " AS _fl_dc FROM _fl_values GROUP BY _fl_x"));
            ctes.add(new Sql.Cte("_fl_cdf", "SELECT SUM(_fl_db) OVER (ORDER BY _fl_x ROWS UNBOUNDED PRECEDING) AS _fl_fb,"
                    + " SUM(_fl_dc) OVER (ORDER BY _fl_x ROWS UNBOUNDED PRECEDING) AS _fl_fc FROM _fl_steps"));
            statistic = "(SELECT MAX(ABS(f._fl_fb / n._fl_nb - f._fl_fc / n._fl_nc)) FROM _fl_cdf AS f CROSS JOIN _fl_n"
                    + " AS n WHERE n._fl_nb > 0 AND n._fl_nc > 0)";
        }
        return new Statement(Sql.with(dialect, ctes, "SELECT " + dialect.castToDouble(statistic) + " AS _fl_stat, n._fl_nb,"
                + " n._fl_nc FROM _fl_n AS n"), values.parameters());
    }
}
