package dev.fletcher.cli;

import dev.fletcher.sdk.CatalogEntry;
import dev.fletcher.sdk.FletcherClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = {"Prints one object's definition as YAML (defaults applied), or with only a KIND"
        + " lists that kind's objects; --output json gives the stored JSON and version."})
final class GetCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "KIND",
            description = "entity, source, feature_view, metric, monitor or experiment.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The object's name.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (FletcherClient fletcher = remote.connect(root)) {
            if (name == null) {
                List<CatalogEntry> entries = fletcher.catalog().ofKind(kind);
                if (output.json()) {
                    Output.printJson(out, entries);
                } else {
                    List<List<?>> rows = new ArrayList<>();
                    for (CatalogEntry entry : entries) {
                        rows.add(List.of(entry.name(), entry.version(), String.valueOf(entry.updatedAt())));
                    }
                    Output.printTable(out, List.of("NAME", "VERSION", "UPDATED"), rows);
                }
            } else if (output.json()) {
                Output.printJson(out, fletcher.get(kind, name));
            } else {
                out.print(fletcher.getYaml(kind, name));
            }
        }
        return 0;
    }
}
