package dev.fletcher.cli;

import picocli.CommandLine.Command;

@Command(name = "apply", description = {"Applies a catalog file or folder in one transaction"
        + " (POST /api/v1/catalog/apply) and prints what changed; --prune also deletes stored objects the bundle no"
        + " longer holds. Run fletcher plan first to see the diffs."})
final class ApplyCommand extends PlanCommand {
    @Override
    boolean dryRun() {
        return false;
    }
}
