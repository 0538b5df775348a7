package dev.fletcher.server.problem;

import org.apache.arrow.flight.FlightRuntimeException;

/** Answers any failure of a Flight or Flight SQL call with the Flight status of its {@link Reason}. */
public final class FlightProblems {
    private FlightProblems() {
    }

    /** Flight errors pass through; a server fault is logged here and described without a trace. */
    public static FlightRuntimeException of(RuntimeException e) {
        if (e instanceof FlightRuntimeException flight) {
            return flight;
        }
        Reason reason = Reason.of(e);
        reason.log(e);
        String description = reason == Reason.INTERNAL ? "the server failed: " + e.getMessage() : e.getMessage();
        return reason.flight().withDescription(description).toRuntimeException();
    }
}
