package dev.fletcher.cli;

import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.MaterializationJob;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "materialize", description = {"Materializes online feature views (all online views unless named)"
        + " and waits for the job, with a progress bar; --no-wait prints the job's id at once."})
final class MaterializeCommand extends ServerCommand {
    @Mixin
    Progress progress;

    @Parameters(paramLabel = "VIEW", arity = "0..*", description = "Feature views; none for every online view.")
    List<String> views;

    @Option(names = "--full", description = "Recompute every entity, not only those with new rows.")
    boolean full;

    @Option(names = "--end", paramLabel = "TIME", description = "The watermark (default: each source's newest event).")
    String end;

    @Option(names = "--no-wait", description = "Start the job and print it without waiting.")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant watermark = QueryCommand.time(end, "--end");
        try (FletcherClient fletcher = remote.connect(root)) {
            MaterializationJob job = fletcher.startMaterialization(views == null || views.isEmpty() ? null : views,
                    watermark, full);
            if (!noWait) {
                progress.start(spec.commandLine().getErr());
                long pause = 50;
                while (!job.finished()) {
                    show(job);
                    sleep(pause);
                    pause = Math.min(pause * 2, 500);
                    job = fletcher.materializationJob(job.id());
                }
                show(job);
                progress.finish("job " + job.id() + " " + job.state().name().toLowerCase() + " in "
                        + progress.elapsed());
            }
            if (output.json()) {
                Output.printJson(out, job);
            } else {
                out.println("job " + job.id() + ": " + job.state().name().toLowerCase());
                List<List<?>> rows = new ArrayList<>();
                for (MaterializationJob.ViewRun run : job.runs()) {
                    rows.add(List.of(run.featureView(), run.state().name().toLowerCase(),
                            run.mode() == null ? "" : run.mode(), run.rows(), String.valueOf(run.asOf()),
                            Output.number(run.seconds()), run.error() == null ? "" : run.error()));
                }
                if (!rows.isEmpty()) {
                    Output.printTable(out, List.of("VIEW", "STATE", "MODE", "ROWS", "AS OF", "SECONDS", "ERROR"),
                            rows);
                }
            }
            if (job.state() == MaterializationJob.State.FAILED) {
                spec.commandLine().getErr().println("error: the materialization failed"
                        + (job.error() == null ? "" : ": " + job.error()));
                return Fletcher.REFUSED;
            }
        }
        return 0;
    }

    private void show(MaterializationJob job) {
        MaterializationJob.Progress p = job.progress();
        if (p == null) {
            progress.count("job " + job.id() + " " + job.state().name().toLowerCase());
            return;
        }
        progress.bar(p.viewsDone(), p.viewsTotal(), p.rowsWritten() + " rows"
                + (p.currentView() == null ? "" : ", writing " + p.currentView()) + "  " + progress.elapsed());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for the job"));
        }
    }
}
