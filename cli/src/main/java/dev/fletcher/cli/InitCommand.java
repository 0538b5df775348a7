package dev.fletcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "init", description = {"Writes a starter project: fletcher.yaml (the server's address) and a catalog/"
        + " folder with an entity, a source, a feature view and a metric, over the example's 'leads' table.",
        "Then: fletcher validate catalog/ and fletcher plan catalog/."})
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    Fletcher root;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", defaultValue = ".", description = "The project folder (default: this one).")
    Path dir;

    static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put(Bundles.PROJECT_CONFIG, """
                # Where `fletcher` finds the server when run in this folder. FLETCHER_URL and FLETCHER_TOKEN, or the
                # --url and --token flags, take precedence; keep the token out of git (the environment is the place).
                url: http://localhost:8080
                """);
        FILES.put("catalog/entities.yaml", """
                # Who the features describe; a source names the column holding each entity's key.
                kind: entity
                name: starter_referrer
                keys: [referrer]
                description: where a lead came from
                """);
        FILES.put("catalog/sources.yaml", """
                # A table in the warehouse (the example server loads 'leads'); its rows have an event time.
                kind: source
                name: starter_leads
                table: leads
                timestamp: created_at
                entity_columns: {starter_referrer: referrer}
                """);
        FILES.put("catalog/features.yaml", """
                # Features are aggregations over a window ending at each row's time: never later (no leakage).
                kind: feature_view
                name: starter_referrer_leads
                entity: starter_referrer
                source: starter_leads
                features:
                  - {name: leads_1h, aggregation: count, window: 1h}
                  - {name: leads_1d, aggregation: count, window: 1d}
                """);
        FILES.put("catalog/metrics.yaml", """
                # A metric is queried by time grain and dimension: fletcher query starter_lead_count --grain day
                kind: metric
                name: starter_lead_count
                source: starter_leads
                entity: starter_referrer
                measure: {agg: count}
                dimensions: [referrer]
                """);
    }

    @Override
    public Integer call() throws IOException {
        Path project = root.workingDir.resolve(dir);
        PrintWriter out = spec.commandLine().getOut();
        for (String name : FILES.keySet()) {
            if (Files.exists(project.resolve(name))) {
                throw new IllegalArgumentException(project.resolve(name) + " already exists; init writes only new"
                        + " files (choose an empty folder)");
            }
        }
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            Path target = project.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            out.println("wrote " + target);
        }
        out.println("next: fletcher validate " + project.resolve("catalog") + ", then fletcher plan "
                + project.resolve("catalog"));
        return 0;
    }
}
