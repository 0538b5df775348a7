package dev.fletcher.cli;

import dev.fletcher.catalog.lang.CatalogCodec;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.sdk.ApplyResult;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = {"Shows what an apply would do, storing nothing: the server's own dry run"
        + " (POST /api/v1/catalog/apply?dry_run=true), with a diff of every object it would change."})
class PlanCommand extends ServerCommand {

    @Parameters(paramLabel = "PATH", description = "A YAML file, or a folder of *.yaml/*.yml files.")
    Path path;

    @Option(names = "--prune", description = "Also delete stored objects the bundle no longer holds.")
    boolean prune;

    boolean dryRun() {
        return true;
    }

    @Override
    public Integer call() {
        // Parsed here first: a file's own syntax errors name the file and its lines.
        Bundles.Bundle bundle = Bundles.read(root.workingDir.resolve(path));
        PrintWriter out = spec.commandLine().getOut();
        try (FletcherClient fletcher = remote.connect(root)) {
            ApplyResult plan;
            try {
                plan = fletcher.apply(bundle.name(), bundle.text(), dryRun(), prune);
            } catch (FletcherException e) {
                if (e.errors().isEmpty()) {
                    throw e;
                }
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: " + (e.title() == null ? "the bundle was refused" : e.title()) + " ("
                        + e.status() + ")");
                e.errors().forEach(error -> err.println("  " + bundle.describe(error.document(), error.line(),
                        error.field(), error.message())));
                return Fletcher.REFUSED;
            }
            List<Map<String, Object>> changes = new ArrayList<>();
            for (ApplyResult.Change change : plan.changes()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("kind", change.kind());
                entry.put("name", change.name());
                entry.put("action", change.action());
                entry.put("version", change.version());
                String diff = diff(fletcher, bundle, change);
                if (diff != null) {
                    entry.put("diff", diff);
                }
                changes.add(entry);
            }
            if (output.json()) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("catalog_version", plan.catalogVersion());
                answer.put("dry_run", plan.dryRun());
                answer.put("changes", changes);
                answer.put("summary", summary(plan));
                Output.printJson(out, answer);
                return 0;
            }
            print(out, plan, changes);
        }
        return 0;
    }

    private void print(PrintWriter out, ApplyResult plan, List<Map<String, Object>> changes) {
        for (Map<String, Object> change : changes) {
            String action = (String) change.get("action");
            out.println(symbol(action) + " " + change.get("kind") + "/" + change.get("name") + "  " + action
                    + " (version " + change.get("version") + ")");
            Object diff = change.get("diff");
            if (diff != null) {
                diff.toString().lines().forEach(line -> out.println("    " + line));
            }
        }
        Map<String, Integer> summary = summary(plan);
        if (plan.dryRun()) {
            out.println("Plan: " + summary.get("created") + " to create, " + summary.get("updated") + " to update, "
                    + summary.get("unchanged") + " unchanged, " + summary.get("deleted") + " to delete");
        } else {
            out.println("Applied: " + summary.get("created") + " created, " + summary.get("updated") + " updated, "
                    + summary.get("unchanged") + " unchanged, " + summary.get("deleted") + " deleted; catalog version "
                    + plan.catalogVersion());
        }
    }

    private static String symbol(String action) {
        return switch (action) {
            case "created" -> "+";
            case "updated" -> "~";
            case "deleted" -> "-";
            default -> " ";
        };
    }

    static Map<String, Integer> summary(ApplyResult plan) {
        Map<String, Integer> summary = new LinkedHashMap<>();
        summary.put("created", plan.created().size());
        summary.put("updated", plan.updated().size());
        summary.put("unchanged", plan.unchanged().size());
        summary.put("deleted", plan.deleted().size());
        return summary;
    }

    /** The change as lines of YAML: the server's current definition against the bundle's, both written canonically. */
    private String diff(FletcherClient fletcher, Bundles.Bundle bundle, ApplyResult.Change change) {
        if (!dryRun()) {
            // After a real apply the stored definitions are the bundle's: nothing is left to compare.
            return null;
        }
        ParsedObject local = bundle.object(change.kind(), change.name());
        switch (change.action()) {
            case "created" -> {
                return local == null ? null : Diff.unified("", CatalogCodec.toYaml(local.object()));
            }
            case "updated" -> {
                if (local == null) {
                    return null;
                }
                return Diff.unified(fletcher.getYaml(change.kind(), change.name()),
                        CatalogCodec.toYaml(local.object()));
            }
            case "deleted" -> {
                return Diff.unified(fletcher.getYaml(change.kind(), change.name()), "");
            }
            default -> {
                return null;
            }
        }
    }
}
