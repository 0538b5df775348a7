package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Estimate;
import java.util.ArrayList;
import java.util.List;
import org.ejml.simple.SimpleMatrix;

/**
 * The CUPED regression y ~ 1 + treatment + covariates over two variants' subjects, solved from sums of shifted
 * values (X'X, X'y, y'y), with its classical standard error and, once the sums Σ e²·x xᵀ of its residuals are
 * known, the HC1 one.
 */
final class CupedFit {
    /** Condition number (of X'X scaled to a unit diagonal) beyond which a fit is called singular. */
    private static final double MAX_CONDITION = 1e10;

    /**
     * Σw, Σw·zᵢ and Σw·zᵢ·zⱼ over one variant's subjects, for one weight w per subject: 1 for X'X, the squared
     * residual for the HC1 meat.
     *
     * @param zz symmetric; only i ≤ j is read
     */
    record Weighted(double weight, double[] z, double[][] zz) {
        /** The sums of the covariates at {@code columns} only, in that order. */
        Weighted only(int[] columns) {
            return new Weighted(weight, pick(z, columns), pick(zz, columns));
        }
    }

    /**
     * One variant's sums over its subjects of shifted values: of the covariates z and their products, of the
     * outcome y and its square, and of each covariate times y.
     */
    record Group(long n, double[] z, double[][] zz, double y, double yy, double[] zy) {
        Weighted design() {
            return new Weighted(n, z, zz);
        }

        /** The sums of the covariates at {@code columns} only, in that order. */
        Group only(int[] columns) {
            return new Group(n, pick(z, columns), pick(zz, columns), y, yy, pick(zy, columns));
        }
    }

    /**
     * The fit (null when there is none) and the notes that go with it: each covariate left out and why, or why there
     * is no fit.
     */
    record Outcome(CupedFit fit, List<String> notes) {
        Outcome {
            notes = List.copyOf(notes);
        }
    }

    private final List<String> covariates;
    /** Where each kept covariate sits among the covariates asked for. */
    private final int[] kept;
    private final double[] coefficients;
    private final SimpleMatrix inverse;
    private final long n;
    private final int p;
    private final double se;
    private final double seOls;

    private CupedFit(List<String> covariates, int[] kept, double[] coefficients, SimpleMatrix inverse, long n, int p,
            double se, double seOls) {
        this.covariates = covariates;
        this.kept = kept;
        this.coefficients = coefficients;
        this.inverse = inverse;
        this.n = n;
        this.p = p;
        this.se = se;
        this.seOls = seOls;
    }

    /**
     * Fits with every covariate that can adjust: one with the same value for every subject, or one that the
     * treatment and the covariates before it already determine (X'X would be singular with it), is left out with a
     * note, as R's {@code lm} leaves out aliased columns, and the fit goes on with the rest.
     *
     * @param metric     the outcome's name, for the notes
     * @param covariates the covariates' names, in the order of the groups' z
     * @param shifts     what was subtracted from each covariate, so that its spread is judged against its size
     * @param ridge      added to the covariates' diagonal of X'X
     */
    static Outcome fit(String metric, List<String> covariates, Group control, Group treatment, double[] shifts,
            double ridge) {
        int k = covariates.size();
        long nc = control.n();
        long nt = treatment.n();
        long n = nc + nt;
        List<String> notes = new ArrayList<>();
        List<Integer> chosen = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            double s = control.z()[j] + treatment.z()[j];
            double ss = control.zz()[j][j] + treatment.zz()[j][j];
            double variance = (ss - s * s / n) / (n - 1);
            double scale = 1e-12 * (Math.abs(shifts[j] + s / n) + 1e-300);
            if (variance <= scale * scale) {
                notes.add("covariate '" + covariates.get(j) + "' (before assignment) has the same value for every"
                        + " subject, so it cannot adjust '" + metric + "'; it is left out");
                continue;
            }
            List<Integer> candidate = new ArrayList<>(chosen);
            candidate.add(j);
            int[] columns = candidate.stream().mapToInt(Integer::intValue).toArray();
            if (!(condition(crossProducts(control.design().only(columns), treatment.design().only(columns)), ridge)
                    < MAX_CONDITION)) {
                notes.add("covariate '" + covariates.get(j) + "' of '" + metric + "' is collinear with the treatment"
                        + (chosen.isEmpty() ? "" : " and the covariates before it " + names(covariates, chosen))
                        + " (X'X would be singular); it is left out (or set cuped.ridge)");
                continue;
            }
            chosen.add(j);
        }
        if (chosen.isEmpty()) {
            notes.add("no covariate can adjust '" + metric + "'; CUPED is skipped");
            return new Outcome(null, notes);
        }
        int[] kept = chosen.stream().mapToInt(Integer::intValue).toArray();
        Group c = control.only(kept);
        Group t = treatment.only(kept);
        int p = kept.length + 2;
        if (n <= p) {
            notes.add("CUPED needs more subjects than its " + p + " coefficients; it has " + n);
            return new Outcome(null, notes);
        }
        SimpleMatrix xtx = crossProducts(c.design(), t.design());
        SimpleMatrix xty = new SimpleMatrix(p, 1);
        xty.set(0, 0, c.y() + t.y());
        xty.set(1, 0, t.y());
        for (int i = 0; i < kept.length; i++) {
            xty.set(i + 2, 0, c.zy()[i] + t.zy()[i]);
        }
        double yty = c.yy() + t.yy();
        SimpleMatrix penalized = penalized(xtx, ridge);
        SimpleMatrix inverse = penalized.invert();
        SimpleMatrix beta = inverse.mult(xty);
        double rss = yty - 2 * beta.dot(xty) + beta.transpose().mult(xtx).mult(beta).get(0, 0);
        rss = Math.max(0, rss);
        double sigma2 = rss / (n - p);
        // With a ridge the bread is no longer the inverse itself.
        SimpleMatrix bread = inverse.mult(xtx).mult(inverse);
        double se = Math.sqrt(sigma2 * bread.get(1, 1));
        // y ~ 1 + treatment: the pooled within-variant variance.
        double rss0 = 0;
        for (Group g : List.of(c, t)) {
            rss0 += g.yy() - g.y() * g.y() / g.n();
        }
        double seOls = Math.sqrt(Math.max(0, rss0) / (n - 2) * (1.0 / nc + 1.0 / nt));
        if (se == 0 || seOls == 0) {
            notes.add("the CUPED fit of '" + metric + "' leaves no residual variance: there is nothing to test");
            return new Outcome(null, notes);
        }
        // Coefficients for every covariate asked for: 0 for those left out, so residuals need not know who is in.
        double[] coefficients = new double[k + 2];
        coefficients[0] = beta.get(0, 0);
        coefficients[1] = beta.get(1, 0);
        for (int i = 0; i < kept.length; i++) {
            coefficients[kept[i] + 2] = beta.get(i + 2, 0);
        }
        return new Outcome(new CupedFit(names(covariates, chosen), kept, coefficients, inverse, n, p, se, seOls),
                notes);
    }

    private static List<String> names(List<String> covariates, List<Integer> indexes) {
        return indexes.stream().map(covariates::get).toList();
    }

    private static SimpleMatrix penalized(SimpleMatrix xtx, double ridge) {
        SimpleMatrix penalized = xtx.copy();
        for (int i = 2; i < xtx.getNumRows(); i++) {
            penalized.set(i, i, penalized.get(i, i) + ridge);
        }
        return penalized;
    }

    /** The condition number of X'X (with the ridge) scaled to a unit diagonal. */
    private static double condition(SimpleMatrix xtx, double ridge) {
        SimpleMatrix penalized = penalized(xtx, ridge);
        int p = penalized.getNumRows();
        SimpleMatrix scale = new SimpleMatrix(p, p);
        for (int i = 0; i < p; i++) {
            scale.set(i, i, 1 / Math.sqrt(penalized.get(i, i)));
        }
        return scale.mult(penalized).mult(scale).conditionP2();
    }

    private static double[] pick(double[] values, int[] columns) {
        double[] picked = new double[columns.length];
        for (int i = 0; i < columns.length; i++) {
            picked[i] = values[columns[i]];
        }
        return picked;
    }

    private static double[][] pick(double[][] values, int[] columns) {
        double[][] picked = new double[columns.length][columns.length];
        for (int i = 0; i < columns.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                // Only i <= j of the sums is read: take the pair in that order.
                picked[i][j] = values[Math.min(columns[i], columns[j])][Math.max(columns[i], columns[j])];
            }
        }
        return picked;
    }

    /** The design matrix's weighted cross products over both variants: the treatment column is 1 in the second. */
    private static SimpleMatrix crossProducts(Weighted control, Weighted treatment) {
        int k = control.z().length;
        SimpleMatrix m = new SimpleMatrix(k + 2, k + 2);
        m.set(0, 0, control.weight() + treatment.weight());
        m.set(0, 1, treatment.weight());
        m.set(1, 1, treatment.weight());
        for (int i = 0; i < k; i++) {
            m.set(0, i + 2, control.z()[i] + treatment.z()[i]);
            m.set(1, i + 2, treatment.z()[i]);
            for (int j = i; j < k; j++) {
                m.set(i + 2, j + 2, control.zz()[i][j] + treatment.zz()[i][j]);
            }
        }
        for (int i = 0; i < k + 2; i++) {
            for (int j = 0; j < i; j++) {
                m.set(i, j, m.get(j, i));
            }
        }
        return m;
    }

    /**
     * Intercept, treatment, then one per covariate asked for (0 for one left out), on the shifted values: what the
     * residuals are computed with.
     */
    double[] coefficients() {
        return coefficients.clone();
    }

    /** The HC1 standard error of the treatment coefficient, from each variant's sums weighted by e². */
    double stdErrorHc1(Weighted control, Weighted treatment) {
        SimpleMatrix meat = crossProducts(control.only(kept), treatment.only(kept));
        SimpleMatrix cov = inverse.mult(meat).mult(inverse).scale((double) n / (n - p));
        return Math.sqrt(Math.max(0, cov.get(1, 1)));
    }

    /** The treatment coefficient as reported, relative to the control mean when there is one. */
    CupedEstimate estimate(Double controlMean, double stdErrorHc1) {
        double estimate = coefficients[1];
        double df = n - p;
        double q = Distributions.tQuantile(1 - (1 - Comparisons.LEVEL) / 2, df);
        // Relative to the control mean taken as known: its own noise is small beside the coefficient's.
        Estimate.Interval relative = controlMean == null || controlMean == 0 ? null
                : Comparisons.interval(estimate / controlMean, se / Math.abs(controlMean), q);
        Estimate e = new Estimate(estimate, se, estimate - q * se, estimate + q * se,
                Distributions.tTwoSided(estimate / se, df), relative);
        return new CupedEstimate(covariates, e, stdErrorHc1, 1 - (se / seOls) * (se / seOls));
    }
}
