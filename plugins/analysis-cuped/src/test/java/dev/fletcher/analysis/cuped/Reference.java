package dev.fletcher.analysis.cuped;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

/**
 * Statistics worked out from the subject rows themselves (two-pass moments, OLS on centred rows with residuals taken
 * one by one), to check the classes that work from sums.
 */
final class Reference {
    private Reference() {}

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double variance(double[] x) {
        return covariance(x, x);
    }

    static double covariance(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - mx) * (y[i] - my);
        }
        return s / (x.length - 1);
    }

    static void assertRelative(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-6 * Math.max(Math.abs(expected), 1e-12)));
    }

    /** Abramowitz and Stegun 7.1.26 (error below 1.5e-7). */
    static double erfc(double x) {
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return poly * Math.exp(-x * x);
    }

    /**
     * OLS of column y on an intercept, the treatment indicator and the given columns, on centred subject rows; with a
     * ridge, penalized on the given columns and with the sandwich (X'X + λ)⁻¹ X'X (X'X + λ)⁻¹ for its covariance.
     */
    static final class Ols {
        double[] beta;
        double se;
        double seHc1;

        static Ols fit(List<double[]> rows, int y, int... covariates) {
            return fit(rows, 0, y, covariates);
        }

        static Ols fit(List<double[]> rows, double ridge, int y, int... covariates) {
            int n = rows.size();
            int p = covariates.length + 2;
            double[] centre = new double[rows.get(0).length];
            for (double[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    centre[j] += row[j] / n;
                }
            }
            double[][] x = new double[n][p];
            double[] target = new double[n];
            for (int i = 0; i < n; i++) {
                double[] row = rows.get(i);
                x[i][0] = 1;
                x[i][1] = row[0];
                for (int j = 0; j < covariates.length; j++) {
                    x[i][j + 2] = row[covariates[j]] - centre[covariates[j]];
                }
                target[i] = row[y] - centre[y];
            }
            double[][] xtx = new double[p][p];
            double[] xty = new double[p];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < p; a++) {
                    xty[a] += x[i][a] * target[i];
                    for (int b = 0; b < p; b++) {
                        xtx[a][b] += x[i][a] * x[i][b];
                    }
                }
            }
            double[][] penalized = new double[p][];
            for (int a = 0; a < p; a++) {
                penalized[a] = xtx[a].clone();
                penalized[a][a] += a >= 2 ? ridge : 0;
            }
            double[][] inverse = invert(penalized);
            Ols ols = new Ols();
            ols.beta = new double[p];
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    ols.beta[a] += inverse[a][b] * xty[b];
                }
            }
            double rss = 0;
            double[][] meat = new double[p][p];
            for (int i = 0; i < n; i++) {
                double e = target[i];
                for (int a = 0; a < p; a++) {
                    e -= ols.beta[a] * x[i][a];
                }
                rss += e * e;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        meat[a][b] += e * e * x[i][a] * x[i][b];
                    }
                }
            }
            ols.se = Math.sqrt(rss / (n - p) * treatment(inverse, xtx));
            ols.seHc1 = Math.sqrt(treatment(inverse, meat) * n / (n - p));
            return ols;
        }

        /** The treatment's entry of inverse · middle · inverse. */
        private static double treatment(double[][] inverse, double[][] middle) {
            double sum = 0;
            for (int a = 0; a < inverse.length; a++) {
                for (int b = 0; b < inverse.length; b++) {
                    sum += inverse[1][a] * middle[a][b] * inverse[b][1];
                }
            }
            return sum;
        }

        /** Gauss–Jordan with partial pivoting. */
        static double[][] invert(double[][] m) {
            int p = m.length;
            double[][] a = new double[p][2 * p];
            for (int i = 0; i < p; i++) {
                System.arraycopy(m[i], 0, a[i], 0, p);
                a[i][p + i] = 1;
            }
            for (int c = 0; c < p; c++) {
                int pivot = c;
                for (int r = c + 1; r < p; r++) {
                    if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                        pivot = r;
                    }
                }
                double[] tmp = a[c];
                a[c] = a[pivot];
                a[pivot] = tmp;
                double d = a[c][c];
                for (int j = 0; j < 2 * p; j++) {
                    a[c][j] /= d;
                }
                for (int r = 0; r < p; r++) {
                    if (r != c) {
                        double f = a[r][c];
                        for (int j = 0; j < 2 * p; j++) {
                            a[r][j] -= f * a[c][j];
                        }
                    }
                }
            }
            double[][] out = new double[p][p];
            for (int i = 0; i < p; i++) {
                System.arraycopy(a[i], p, out[i], 0, p);
            }
            return out;
        }
    }
}
