package dev.fletcher.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "validate", description = {"Checks a catalog file or folder offline, with no server, using the"
        + " server's own parser and validator: syntax, fields, names, durations, references, cycles and types.",
        "Whether tables and columns exist in the warehouse needs the server: fletcher plan."})
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Fletcher root;
    @Spec
    CommandSpec spec;
    @Mixin
    Output output;

    @Parameters(paramLabel = "PATH", description = "A YAML file, or a folder of *.yaml/*.yml files.")
    Path path;

    @Override
    public Integer call() {
        Path resolved = root.workingDir.resolve(path);
        Bundles.Bundle bundle;
        try {
            bundle = Bundles.read(resolved);
            Bundles.validate(bundle);
        } catch (Bundles.Invalid invalid) {
            if (output.json()) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("valid", false);
                answer.put("errors", invalid.errors());
                Output.printJson(spec.commandLine().getOut(), answer);
                return Fletcher.REFUSED;
            }
            throw invalid;
        }
        if (output.json()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("valid", true);
            answer.put("objects", bundle.parsed().objects().stream()
                    .map(o -> Map.of("kind", o.object().kind().id(), "name", o.object().name())).toList());
            Output.printJson(spec.commandLine().getOut(), answer);
        } else {
            List<String> files = bundle.parts().stream().map(p -> p.file().getFileName().toString()).toList();
            spec.commandLine().getOut().println(path + " is valid: " + bundle.parsed().objects().size()
                    + " definitions in " + String.join(", ", files));
        }
        return 0;
    }
}
