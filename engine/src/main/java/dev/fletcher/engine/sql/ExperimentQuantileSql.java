package dev.fletcher.engine.sql;

import static dev.fletcher.engine.sql.ExperimentSql.VARIANT;
import static dev.fletcher.engine.sql.ExperimentSql.valueName;

import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A quantile of one per-subject value in each variant, with the order statistics that bound its confidence interval,
 * over the per-subject relation {@code _fx_subjects}. Each variant's values are ranked 1..n; with p and z bound as
 * parameters, the statement returns per variant:
 *
 * <ul>
 *   <li>{@code _fx_n}: n;
 *   <li>{@code _fx_point}: x(⌈np⌉), the smallest value ranked at or above np (the inverse of the empirical
 *       distribution function, as {@code percentile_disc});
 *   <li>{@code _fx_low}: x(⌊np − z·√(np(1−p))⌋), the largest value ranked at or below that bound; null below rank 1;
 *   <li>{@code _fx_high}: x(⌈np + z·√(np(1−p))⌉), the smallest value ranked at or above that bound; null above n;
 *   <li>{@code _fx_min}, {@code _fx_max}: the smallest and largest values, for bounds outside 1..n.
 * </ul>
 *
 * Ranks compare with the bounds as 64-bit floats, so every dialect needs only a window row number, a window count,
 * SQRT and conditional MIN and MAX; nothing per subject is returned.
 */
final class ExperimentQuantileSql {
    private ExperimentQuantileSql() {}

    static Statement render(Dialect dialect, List<Sql.Cte> subjects, int value, double probability, double z) {
        List<Sql.Cte> ctes = new ArrayList<>(subjects);
        String x = valueName(value);
        ctes.add(new Sql.Cte("_fx_qranked", "SELECT " + VARIANT + ", " + x + " AS _fx_q,"
                + "\n  ROW_NUMBER() OVER (PARTITION BY " + VARIANT + " ORDER BY " + x + ") AS _fx_r,"
                + "\n  COUNT(*) OVER (PARTITION BY " + VARIANT + ") AS _fx_m"
                + "\nFROM _fx_subjects"));
        List<Object> parameters = new ArrayList<>();
        String p = dialect.castToDouble("?");
        // The centre rank np and the half-width z·√(np(1−p)) of the rank interval.
        ctes.add(new Sql.Cte("_fx_qbounds", "SELECT " + VARIANT + ", _fx_q, _fx_r, _fx_m * " + p + " AS _fx_c,"
                + "\n  SQRT(_fx_m * " + p + ") * " + p + " AS _fx_h"
                + "\nFROM _fx_qranked"));
        parameters.add(probability);
        parameters.add(probability * (1 - probability));
        parameters.add(z);
        String select = "SELECT " + VARIANT + ", CAST(COUNT(*) AS BIGINT) AS _fx_n,"
                + "\n  MIN(CASE WHEN _fx_r >= _fx_c THEN _fx_q END) AS _fx_point,"
                + "\n  MAX(CASE WHEN _fx_r <= _fx_c - _fx_h THEN _fx_q END) AS _fx_low,"
                + "\n  MIN(CASE WHEN _fx_r >= _fx_c + _fx_h THEN _fx_q END) AS _fx_high,"
                + "\n  MIN(_fx_q) AS _fx_min,"
                + "\n  MAX(_fx_q) AS _fx_max"
                + "\nFROM _fx_qbounds"
                + "\nGROUP BY " + VARIANT;
        return new Statement(Sql.with(dialect, ctes, select), parameters);
    }
}
