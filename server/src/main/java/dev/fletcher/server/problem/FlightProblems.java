package dev.fletcher.server.problem;

import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;

/**
 * Answers any failure of a Flight or Flight SQL call with the Flight status of its {@link Reason}, plus the HTTP
 * status the same failure has over REST in the error metadata ({@value #STATUS}), so a client can tell apart what
 * Flight's codes do not (a view not materialized yet, 409, from a bad request, 400).
 */
public final class FlightProblems {
    /** The error metadata key holding the HTTP status of the failure. */
    public static final String STATUS = "fletcher-status";

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
        ErrorFlightMetadata metadata = new ErrorFlightMetadata();
        metadata.insert(STATUS, Integer.toString(reason.status()));
        return reason.flight().withDescription(description).withMetadata(metadata).toRuntimeException();
    }
}
