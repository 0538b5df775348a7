package dev.fletcher.cli;

import dev.fletcher.sdk.ApiKey;
import dev.fletcher.sdk.FletcherClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keys", description = "API keys (admin): create, list and revoke.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @ParentCommand
    Fletcher root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Creates a key and prints its secret, shown this once.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;
        @Mixin
        Output output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, analyst or admin.")
        String role;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (FletcherClient fletcher = remote.connect(keys.root)) {
                ApiKey key = fletcher.createKey(name, role);
                if (output.json()) {
                    Output.printJson(out, key);
                } else {
                    out.println("created key '" + key.name() + "' (" + key.role() + ", id " + key.id() + ")");
                    out.println(key.key());
                    spec.commandLine().getErr().println("the key is shown only this once: keep it now, e.g."
                            + " export FLETCHER_TOKEN=<key>");
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the live keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;
        @Mixin
        Output output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (FletcherClient fletcher = remote.connect(keys.root)) {
                List<ApiKey> list = fletcher.keys();
                if (output.json()) {
                    Output.printJson(out, list);
                    return 0;
                }
                List<List<?>> rows = new ArrayList<>();
                for (ApiKey key : list) {
                    rows.add(List.of(key.name(), key.role(), key.id(), String.valueOf(key.createdAt()),
                            key.createdBy() == null ? "" : key.createdBy()));
                }
                Output.printTable(out, List.of("NAME", "ROLE", "ID", "CREATED", "BY"), rows);
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revokes a key by name or id; it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;
        @Mixin
        Output output;

        @Parameters(paramLabel = "KEY", description = "The key's name or id.")
        String key;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (FletcherClient fletcher = remote.connect(keys.root)) {
                ApiKey revoked = fletcher.revokeKey(key);
                if (output.json()) {
                    Output.printJson(out, revoked);
                } else {
                    out.println("revoked key '" + revoked.name() + "' (" + revoked.role() + ", id " + revoked.id()
                            + ")");
                }
            }
            return 0;
        }
    }
}
