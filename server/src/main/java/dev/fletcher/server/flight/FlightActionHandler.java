package dev.fletcher.server.flight;

import dev.fletcher.server.auth.Role;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.Result;

/** Serves one Flight action type; implement as a CDI bean to add an action. */
public interface FlightActionHandler {
    /** The action type, e.g. {@code health}. */
    String type();

    /** The least role a caller needs to run this action. */
    Role role();

    /** One line for ListActions. */
    String description();

    void doAction(Action action, FlightProducer.CallContext context, FlightProducer.StreamListener<Result> listener);
}
