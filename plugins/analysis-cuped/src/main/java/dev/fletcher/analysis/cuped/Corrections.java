package dev.fletcher.analysis.cuped;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Multiple-testing adjustments of a family of p-values, returned in the order given. */
final class Corrections {
    private Corrections() {}

    /**
     * Holm (1979), "A simple sequentially rejective multiple test procedure": with p sorted ascending,
     * p̃₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Controls the family-wise error rate.
     */
    static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] adjusted = new double[m];
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, Math.min(1, (m - i) * p[order[i]]));
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    /**
     * Benjamini and Hochberg (1995), "Controlling the false discovery rate": with p sorted ascending,
     * p̃₍ᵢ₎ = min over j ≥ i of min(1, m/j·p₍ⱼ₎). Controls the false discovery rate.
     */
    static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] adjusted = new double[m];
        double running = 1;
        for (int i = m - 1; i >= 0; i--) {
            running = Math.min(running, Math.min(1, (double) m / (i + 1) * p[order[i]]));
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    private static Integer[] ascending(double[] p) {
        Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        return order;
    }
}
