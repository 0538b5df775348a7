package dev.fletcher.cli;

import dev.fletcher.sdk.AnalysisResult;
import dev.fletcher.sdk.FletcherClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", description = {"Analyses an experiment: subjects, sample ratio, and per metric and"
        + " variant the unadjusted and CUPED estimates with their 95% intervals."})
final class AnalyzeCommand extends ServerCommand {

    @Parameters(paramLabel = "EXPERIMENT")
    String experiment;

    @Option(names = "--no-cuped", description = "Only the unadjusted estimates.")
    boolean noCuped;

    @Option(names = "--covariate", split = ",", paramLabel = "METRIC", description = "CUPED covariates (pre-period"
            + " metrics) in place of the experiment's own.")
    List<String> covariates;

    @Option(names = "--ridge", paramLabel = "LAMBDA", description = "A ridge penalty on the CUPED coefficients.")
    Double ridge;

    @Option(names = "--by-day", description = "Also the cumulative result at the end of each day since the first"
            + " assignment.")
    boolean byDay;

    @Option(names = "--slice", paramLabel = "DIMENSION", description = "Also the result per value of an assignment"
            + " column or of <feature_view>__<feature> at each subject's first assignment.")
    String slice;

    @Override
    public Integer call() {
        Map<String, Object> options = new LinkedHashMap<>();
        if (noCuped) {
            options.put("cuped", false);
        } else if (covariates != null || ridge != null) {
            Map<String, Object> cuped = new LinkedHashMap<>();
            if (covariates != null) {
                cuped.put("covariates", covariates);
            }
            if (ridge != null) {
                cuped.put("ridge", ridge);
            }
            options.put("cuped", cuped);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (FletcherClient fletcher = remote.connect(root)) {
            if (byDay && slice != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--by-day and --slice cannot be asked"
                        + " together: run one, then the other");
            }
            if (output.json() && !byDay && slice == null) {
                Output.printJson(out, fletcher.analysis(experiment, options));
                return 0;
            }
            AnalysisResult result = byDay ? fletcher.analyzeByDay(experiment, options)
                    : slice != null ? fletcher.analyzeBySlice(experiment, slice, options)
                    : fletcher.analyze(experiment, options);
            if (output.json()) {
                Output.printJson(out, result);
                return 0;
            }
            out.println("experiment " + result.experiment() + ": subjects " + result.subjects()
                    + (result.excluded().isEmpty() ? "" : ", excluded " + result.excluded())
                    + (result.srmPValue() == null ? "" : ", SRM p = " + Output.number(result.srmPValue())));
            List<List<?>> rows = new ArrayList<>();
            for (AnalysisResult.MetricResult r : result.results()) {
                List<Object> row = new ArrayList<>();
                row.add(label(r));
                row.add(r.variant());
                row.add(String.join(" / ", r.means().values().stream().map(Output::number).toList()));
                row.add(r.unadjusted() == null ? "" : estimate(r.unadjusted().estimate(), r.unadjusted().ciLow(),
                        r.unadjusted().ciHigh(), r.unadjusted().pValue()));
                row.add(r.cuped() == null ? "" : estimate(r.cuped().estimate(), r.cuped().ciLow(), r.cuped().ciHigh(),
                        r.cuped().pValue()));
                row.add(r.cuped() == null ? "" : Output.number(r.cuped().varianceReduction()));
                row.add(lift(r));
                rows.add(row);
            }
            Output.printTable(out, List.of("METRIC", "VARIANT", "MEANS", "UNADJUSTED [95% CI] p", "CUPED [95% CI] p",
                    "VAR.RED.", "LIFT"), rows);
            result.results().forEach(r -> r.messages().forEach(m -> out.println("note: " + label(r) + ": " + m)));
            result.warnings().forEach(w -> out.println("warning: " + w));
            List<AnalysisResult.Group> groups = byDay ? result.byDay() : result.slices();
            if (!groups.isEmpty()) {
                out.println();
                printGroups(out, byDay ? "DAY" : result.slice().toUpperCase(java.util.Locale.ROOT), groups);
            }
        }
        return 0;
    }

    /** One row per group, metric and variant: the subjects, the group's SRM and the lift with its interval. */
    private static void printGroups(PrintWriter out, String by, List<AnalysisResult.Group> groups) {
        List<List<?>> rows = new ArrayList<>();
        for (AnalysisResult.Group group : groups) {
            String name = group.date() != null ? group.date() : String.valueOf(group.value());
            for (AnalysisResult.MetricResult r : group.results()) {
                rows.add(List.of(name, label(r), r.variant(), String.join(" / ", group.subjects().values().stream()
                        .map(String::valueOf).toList()), group.srmPValue() == null ? ""
                        : Output.number(group.srmPValue()), lift(r)));
            }
            group.warnings().forEach(w -> out.println("warning: " + name + ": " + w));
        }
        Output.printTable(out, List.of(by, "METRIC", "VARIANT", "SUBJECTS", "SRM p", "LIFT"), rows);
    }

    private static String estimate(double estimate, double low, double high, double p) {
        return Output.number(estimate) + " [" + Output.number(low) + ", " + Output.number(high) + "] p="
                + Output.number(p);
    }

    /** The relative lift the verdict rests on, CUPED's where there is one, with its interval; empty for none. */
    private static String lift(AnalysisResult.MetricResult r) {
        AnalysisResult.Interval relative = r.cuped() != null && r.cuped().relative() != null ? r.cuped().relative()
                : r.unadjusted() != null ? r.unadjusted().relative() : null;
        return relative == null ? "" : percent(relative);
    }

    private static String percent(AnalysisResult.Interval relative) {
        return String.format(java.util.Locale.ROOT, "%+.1f%% [%+.1f%%, %+.1f%%]", 100 * relative.estimate(),
                100 * relative.ciLow(), 100 * relative.ciHigh());
    }

    /** The metric's name, with its quantile for a quantile result (revenue P90). */
    private static String label(AnalysisResult.MetricResult r) {
        if (r.quantile() == null) {
            return r.metric();
        }
        double percent = r.quantile().probability() * 100;
        return r.metric() + " P" + (percent == Math.rint(percent) ? String.valueOf((long) percent)
                : String.valueOf(percent));
    }
}
