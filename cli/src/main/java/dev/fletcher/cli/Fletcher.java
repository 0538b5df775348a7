package dev.fletcher.cli;

import dev.fletcher.sdk.FletcherException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fletcher} command: the catalog kept in git, and the server's calls from a shell. */
@Command(name = "fletcher", mixinStandardHelpOptions = true, versionProvider = Fletcher.Version.class,
        description = "Fletcher from the command line: keep the catalog in git, plan and apply it, and query the server.",
        subcommands = {InitCommand.class, ValidateCommand.class, PlanCommand.class, ApplyCommand.class, GetCommand.class,
                HistoryCommand.class, TrainingSetCommand.class, QueryCommand.class, MaterializeCommand.class,
                AnalyzeCommand.class, KeysCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done; 1 the server or the validator refused (the message says why);"
                + " 2 a wrong command line; 3 the server could not be reached."})
public final class Fletcher implements Runnable {
    /** The server refused, or the bundle is invalid. */
    public static final int REFUSED = 1;
    /** The command line itself is wrong (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The server did not answer. */
    public static final int UNREACHABLE = 3;

    final Map<String, String> env;
    final Path workingDir;
    final Path home;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Fletcher(Map<String, String> env, Path workingDir, Path home) {
        this.env = env;
        this.workingDir = workingDir;
        this.home = home;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Arrow and gRPC log through SLF4J; without a binding it says so on stderr, which is no news to a user.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")),
                out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command line as the launcher would, with the given environment and folders, writing to {@code out}
     * and {@code err}; answers the exit code.
     */
    public static int run(String[] args, Map<String, String> env, Path workingDir, Path home, PrintWriter out,
            PrintWriter err) {
        CommandLine line = new CommandLine(new Fletcher(env, workingDir, home));
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> report(e, commandLine.getErr()));
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Prints what went wrong in words, never a stack trace, and answers the exit code. */
    static int report(Exception e, PrintWriter err) {
        if (e instanceof FletcherException problem) {
            StringBuilder text = new StringBuilder("error: ");
            text.append(problem.title() == null ? "HTTP " + problem.status() : problem.title());
            if (problem.detail() != null && !problem.detail().isBlank() && problem.errors().isEmpty()) {
                text.append(": ").append(problem.detail());
            }
            text.append(" (").append(problem.status()).append(')');
            err.println(text);
            problem.errors().forEach(error -> err.println("  " + Bundles.describe(error)));
            return REFUSED;
        }
        if (e instanceof Bundles.Invalid invalid) {
            err.println("error: " + invalid.getMessage());
            invalid.errors().forEach(error -> err.println("  " + error));
            return REFUSED;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("error: " + io.getMessage());
            return UNREACHABLE;
        }
        if (e instanceof CommandLine.ParameterException usage) {
            err.println("error: " + usage.getMessage());
            return USAGE;
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            err.println("error: " + e.getMessage());
            return REFUSED;
        }
        err.println("error: " + e);
        return REFUSED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Fletcher.class.getPackage().getImplementationVersion();
            return new String[] {"fletcher " + (version == null ? "(development build)" : version)};
        }
    }
}
