package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Estimate;
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
    }

    /**
     * One variant's sums over its subjects of shifted values: of the covariates z and their products, of the
     * outcome y and its square, and of each covariate times y.
     */
    record Group(long n, double[] z, double[][] zz, double y, double yy, double[] zy) {
        Weighted design() {
            return new Weighted(n, z, zz);
        }
    }

    /** The fit, or the note that says why there is none. */
    record Outcome(CupedFit fit, String note) {
    }

    private final List<String> covariates;
    private final double[] coefficients;
    private final SimpleMatrix inverse;
    private final long n;
    private final int p;
    private final double se;
    private final double seOls;

    private CupedFit(List<String> covariates, double[] coefficients, SimpleMatrix inverse, long n, int p, double se,
            double seOls) {
        this.covariates = covariates;
        this.coefficients = coefficients;
        this.inverse = inverse;
        this.n = n;
        this.p = p;
        this.se = se;
        this.seOls = seOls;
    }

    /**
     * @param metric     the outcome's name, for the notes
     * @param covariates the covariates' names, in the order of the groups' z
     * @param shifts     what was subtracted from each covariate, so that its spread is judged against its size
     * @param ridge      added to the covariates' diagonal of X'X
     */
    static Outcome fit(String metric, List<String> covariates, Group control, Group treatment, double[] shifts,
            double ridge) {
        int k = covariates.size();
        int p = k + 2;
        long nc = control.n();
        long nt = treatment.n();
        long n = nc + nt;
        if (n <= p) {
            return refused("CUPED needs more subjects than its " + p + " coefficients; it has " + n);
        }
        for (int j = 0; j < k; j++) {
            double s = control.z()[j] + treatment.z()[j];
            double ss = control.zz()[j][j] + treatment.zz()[j][j];
            double variance = (ss - s * s / n) / (n - 1);
            double scale = 1e-12 * (Math.abs(shifts[j] + s / n) + 1e-300);
            if (variance <= scale * scale) {
                return refused("covariate '" + covariates.get(j) + "' (before assignment) has the same value for"
                        + " every subject, so it cannot adjust '" + metric + "'; CUPED is skipped");
            }
        }
        SimpleMatrix xtx = crossProducts(control.design(), treatment.design());
        SimpleMatrix xty = new SimpleMatrix(p, 1);
        xty.set(0, 0, control.y() + treatment.y());
        xty.set(1, 0, treatment.y());
        for (int i = 0; i < k; i++) {
            xty.set(i + 2, 0, control.zy()[i] + treatment.zy()[i]);
        }
        double yty = control.yy() + treatment.yy();
        SimpleMatrix penalized = xtx.copy();
        for (int i = 2; i < p; i++) {
            penalized.set(i, i, penalized.get(i, i) + ridge);
        }
        SimpleMatrix scale = new SimpleMatrix(p, p);
        for (int i = 0; i < p; i++) {
            scale.set(i, i, 1 / Math.sqrt(penalized.get(i, i)));
        }
        double condition = scale.mult(penalized).mult(scale).conditionP2();
        if (!(condition < MAX_CONDITION)) {
            return refused("the covariates of '" + metric + "' " + covariates + " are collinear with each other or the"
                    + " treatment (X'X is singular): drop one, or set cuped.ridge");
        }
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
        for (Group g : List.of(control, treatment)) {
            rss0 += g.yy() - g.y() * g.y() / g.n();
        }
        double seOls = Math.sqrt(Math.max(0, rss0) / (n - 2) * (1.0 / nc + 1.0 / nt));
        if (se == 0 || seOls == 0) {
            return refused("the CUPED fit of '" + metric + "' leaves no residual variance: there is nothing to test");
        }
        double[] coefficients = new double[p];
        for (int i = 0; i < p; i++) {
            coefficients[i] = beta.get(i, 0);
        }
        return new Outcome(new CupedFit(List.copyOf(covariates), coefficients, inverse, n, p, se, seOls), null);
    }

    private static Outcome refused(String note) {
        return new Outcome(null, note);
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

    /** Intercept, treatment, then one per covariate, on the shifted values: what the residuals are computed with. */
    double[] coefficients() {
        return coefficients.clone();
    }

    /** The HC1 standard error of the treatment coefficient, from each variant's sums weighted by e². */
    double stdErrorHc1(Weighted control, Weighted treatment) {
        SimpleMatrix meat = crossProducts(control, treatment);
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
                : Comparisons.interval(estimate / controlMean, se / Math.abs(controlMean));
        Estimate e = new Estimate(estimate, se, estimate - q * se, estimate + q * se,
                Distributions.tTwoSided(estimate / se, df), relative);
        return new CupedEstimate(covariates, e, stdErrorHc1, 1 - (se / seOls) * (se / seOls));
    }
}
