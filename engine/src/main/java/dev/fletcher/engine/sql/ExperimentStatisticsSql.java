package dev.fletcher.engine.sql;

import static dev.fletcher.engine.sql.ExperimentSql.GROUP;
import static dev.fletcher.engine.sql.ExperimentSql.VARIANT;
import static dev.fletcher.engine.sql.ExperimentSql.valueName;

import dev.fletcher.engine.sql.ExperimentSql.Residual;
import dev.fletcher.engine.sql.ExperimentSql.Term;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The grouped-by-variant sums of {@link ExperimentSql#statistics} over the per-subject relation {@code _fx_subjects}:
 * each value used shifted, then the squared residuals of any linear fits, then one sum per term.
 */
final class ExperimentStatisticsSql {
    private final Dialect dialect;
    private final List<Sql.Cte> ctes;
    private final List<Object> parameters = new ArrayList<>();

    /** Whether and by what the sums are grouped besides the variant. */
    private final ExperimentSql.Grouping grouping;

    private ExperimentStatisticsSql(Dialect dialect, List<Sql.Cte> subjects, ExperimentSql.Grouping grouping) {
        this.dialect = dialect;
        this.ctes = new ArrayList<>(subjects);
        this.grouping = grouping;
    }

    private boolean grouped() {
        return grouping != ExperimentSql.Grouping.NONE;
    }

    /**
     * @param subjects the expressions ending in {@code _fx_subjects}
     * @param staged   whether {@code _fx_subjects} reads a staged table (which holds no excluded subjects)
     * @param used     the value indexes the terms and residuals read
     */
    static Statement render(Dialect dialect, List<Sql.Cte> subjects, List<Object> subjectParameters, boolean staged,
            ExperimentSql.Grouping grouping, TreeSet<Integer> used, double[] shifts, List<String> variants,
            String treatment, List<Residual> residuals, List<Term> terms) {
        ExperimentStatisticsSql sql = new ExperimentStatisticsSql(dialect, subjects, grouping);
        sql.parameters.addAll(subjectParameters);
        sql.shifted(staged, used, shifts, variants);
        String from = sql.fitted(residuals, terms, treatment);
        return sql.sums(terms, from);
    }

    /** {@code _fx_shifted}: each used value less its shift, given as a parameter or the mean over all subjects. */
    private void shifted(boolean staged, TreeSet<Integer> used, double[] shifts, List<String> variants) {
        StringBuilder shifted = new StringBuilder("SELECT " + (grouped() ? GROUP + ", " : "") + VARIANT);
        for (int column : used) {
            shifted.append(", ").append(valueName(column)).append(" - ");
            if (shifts == null) {
                shifted.append("c._fx_h").append(column);
            } else {
                shifted.append(parameter());
                parameters.add(shifts[column]);
            }
            shifted.append(" AS _fx_s").append(column);
        }
        if (shifts == null) {
            // One pass: the mean over all subjects, computed first, then subtracted; the subjects are read twice
            // (computed once, unless they already sit in a staged table).
            if (!staged) {
                Sql.Cte last = ctes.remove(ctes.size() - 1);
                ctes.add(new Sql.Cte(last.name(), last.sql(), true));
            }
            List<String> centre = new ArrayList<>();
            for (int column : used) {
                centre.add("AVG(" + valueName(column) + ") AS _fx_h" + column);
            }
            centre.add(staged ? "CAST(NULL AS BIGINT) AS _fx_excluded"
                    : "(SELECT CAST(COUNT(*) AS BIGINT) FROM _fx_first WHERE _fx_variants > 1) AS _fx_excluded");
            ctes.add(new Sql.Cte("_fx_centre", Select.of(centre).from("_fx_subjects").toString()));
            shifted.append(", c._fx_excluded");
            for (int column : used) {
                shifted.append(", c._fx_h").append(column);
            }
            shifted.append("\nFROM _fx_subjects CROSS JOIN _fx_centre AS c");
        } else {
            shifted.append("\nFROM _fx_subjects");
        }
        if (variants != null) {
            shifted.append("\nWHERE ").append(VARIANT).append(" IN (")
                    .append(String.join(", ", variants.stream().map(v -> "?").toList())).append(')');
            parameters.addAll(variants);
        }
        // Materialized when wide: inlined, every value's shift (and what it is computed from) repeats in each product.
        ctes.add(new Sql.Cte("_fx_shifted", shifted.toString(), used.size() > 4));
    }

    /**
     * {@code _fx_fitted}: the shifted values with the squared residual {@code _fx_w<i>} of each fit the terms use,
     * its coefficients as parameters.
     *
     * @return the relation the sums read
     */
    private String fitted(List<Residual> residuals, List<Term> terms, String treatment) {
        TreeSet<Integer> residualsUsed = new TreeSet<>();
        terms.stream().filter(t -> t.residual() >= 0).forEach(t -> residualsUsed.add(t.residual()));
        if (residualsUsed.isEmpty()) {
            return "_fx_shifted";
        }
        StringBuilder fitted = new StringBuilder("SELECT *");
        for (int index : residualsUsed) {
            Residual r = residuals.get(index);
            StringBuilder prediction = new StringBuilder(coefficient(r, 0) + " + ");
            prediction.append(coefficient(r, 1)).append(" * CASE WHEN ").append(VARIANT).append(" = ? THEN ")
                    .append(literal(1)).append(" ELSE ").append(literal(0)).append(" END");
            parameters.add(Objects.requireNonNull(treatment, "treatment"));
            for (int j = 0; j < r.covariates().size(); j++) {
                prediction.append(" + ").append(coefficient(r, j + 2)).append(" * _fx_s").append(r.covariates().get(j));
            }
            fitted.append(",\n  _fx_s").append(r.y()).append(" - (").append(prediction).append(") AS _fx_e")
                    .append(index);
        }
        fitted.append("\nFROM _fx_shifted");
        ctes.add(new Sql.Cte("_fx_fitted_e", fitted.toString()));
        StringBuilder squared = new StringBuilder("SELECT *");
        for (int index : residualsUsed) {
            squared.append(", _fx_e").append(index).append(" * _fx_e").append(index).append(" AS _fx_w").append(index);
        }
        // Materialized: inlined, each residual's whole expression would be repeated in every one of its sums.
        ctes.add(new Sql.Cte("_fx_fitted", squared.append("\nFROM _fx_fitted_e").toString(), true));
        return "_fx_fitted";
    }

    /** Per variant the number of subjects and each term's sum (or the shift, or the excluded count, it asks for). */
    private Statement sums(List<Term> terms, String from) {
        String keys = (grouped() ? GROUP + ", " : "") + VARIANT;
        StringBuilder select = new StringBuilder("SELECT " + keys + ", CAST(COUNT(*) AS BIGINT) AS _fx_n");
        for (int i = 0; i < terms.size(); i++) {
            Term term = terms.get(i);
            if (term.residual() == Term.SHIFT) {
                select.append(",\n  MIN(_fx_h").append(term.columns().get(0)).append(") AS _fx_t").append(i);
                continue;
            }
            if (term.residual() == Term.EXCLUDED) {
                select.append(",\n  ").append(dialect.castToDouble("MIN(_fx_excluded)")).append(" AS _fx_t").append(i);
                continue;
            }
            List<String> factors = new ArrayList<>();
            if (term.residual() >= 0) {
                factors.add("_fx_w" + term.residual());
            }
            term.columns().forEach(c -> factors.add("_fx_s" + c));
            String product = factors.isEmpty() ? literal(1) : String.join(" * ", factors);
            select.append(",\n  ").append(dialect.castToDouble("SUM(" + product + ")")).append(" AS _fx_t").append(i);
        }
        select.append("\nFROM ").append(from).append("\nGROUP BY ").append(keys);
        return new Statement(Sql.with(dialect, ctes, select.toString()), parameters);
    }

    /**
     * A fit's coefficient as a parameter, or, grouped, as the group's own: {@code CASE WHEN group = ? THEN ? ...
     * END}, null for a group without a fit.
     */
    private String coefficient(Residual r, int j) {
        if (r.byGroup() == null) {
            parameters.add(r.coefficients()[j]);
            return parameter();
        }
        if (r.byGroup().isEmpty()) {
            return dialect.castToDouble("NULL");
        }
        StringBuilder sql = new StringBuilder("CASE");
        r.byGroup().forEach((group, coefficients) -> {
            if (group == null) {
                sql.append(" WHEN ").append(GROUP).append(" IS NULL THEN ").append(parameter());
            } else {
                sql.append(" WHEN ").append(GROUP).append(" = ").append(grouping == ExperimentSql.Grouping.DAY
                        ? dialect.timestampParameter() : "?").append(" THEN ").append(parameter());
                parameters.add(group);
            }
            parameters.add(coefficients[j]);
        });
        return sql.append(" END").toString();
    }

    private String parameter() {
        return dialect.castToDouble("?");
    }

    private String literal(int value) {
        return dialect.castToDouble(Integer.toString(value));
    }
}
