package dev.fletcher.server.flight;

import dev.fletcher.server.auth.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.Result;

/** Lets a Flight client check that the server answers, without HTTP. */
@ApplicationScoped
public class HealthAction implements FlightActionHandler {
    @Override
    public Role role() {
        return Role.READER;
    }

    @Override
    public String type() {
        return "health";
    }

    @Override
    public String description() {
        return "Answers {\"status\":\"UP\"} when the Flight service is serving";
    }

    @Override
    public void doAction(Action action, FlightProducer.CallContext context,
                         FlightProducer.StreamListener<Result> listener) {
        listener.onNext(new Result("{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8)));
        listener.onCompleted();
    }
}
