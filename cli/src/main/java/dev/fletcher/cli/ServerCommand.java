package dev.fletcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that talks to a server: its connection settings and output format, as every such command takes them. */
abstract class ServerCommand implements Callable<Integer> {
    @ParentCommand
    Fletcher root;
    @Spec
    CommandSpec spec;
    @Mixin
    Remote remote;
    @Mixin
    Output output;
}
