package dev.fletcher.cli;

import dev.fletcher.sdk.CatalogChange;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.ObjectVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = {"The catalog's recent changes, newest first, with who made each;"
        + " with KIND and NAME, every version of that object, oldest first."})
final class HistoryCommand extends ServerCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many changes (default 50).")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (kind != null && name == null) {
            throw new IllegalArgumentException("name the object too: fletcher history " + kind + " <name>");
        }
        try (FletcherClient fletcher = remote.connect(root)) {
            if (kind == null) {
                List<CatalogChange> changes = fletcher.history(limit, 0);
                if (output.json()) {
                    Output.printJson(out, changes);
                    return 0;
                }
                List<List<?>> rows = new ArrayList<>();
                for (CatalogChange c : changes) {
                    rows.add(List.of(c.catalogVersion(), String.valueOf(c.changedAt()), c.kind() + "/" + c.name(),
                            c.change(), c.version(), c.changedBy() == null ? "" : c.changedBy()));
                }
                Output.printTable(out, List.of("CATALOG", "AT", "OBJECT", "CHANGE", "VERSION", "BY"), rows);
            } else {
                List<ObjectVersion> versions = fletcher.versions(kind, name);
                if (output.json()) {
                    Output.printJson(out, versions);
                    return 0;
                }
                List<List<?>> rows = new ArrayList<>();
                for (ObjectVersion v : versions) {
                    rows.add(List.of(v.version(), v.change(), String.valueOf(v.changedAt()),
                            v.changedBy() == null ? "" : v.changedBy(), v.catalogVersion()));
                }
                Output.printTable(out, List.of("VERSION", "CHANGE", "AT", "BY", "CATALOG"), rows);
            }
        }
        return 0;
    }
}
