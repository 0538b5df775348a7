package dev.fletcher.server.flight;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fletcher.server.auth.Role;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Ticket;

/**
 * Serves one kind of Flight command. Descriptor commands and tickets are UTF-8 JSON objects with one key
 * naming the command, e.g. {@code {"training_set": {...}}}; the producer routes on that key. Implement this as
 * a CDI bean and it is picked up; the defaults answer that the command does not support the call.
 */
public interface FlightCommandHandler {
    /** The JSON key this handler serves, e.g. {@code training_set}. */
    String key();

    /** The least role a caller needs for this command, whichever call carries it. */
    Role role();

    /** GetFlightInfo for a descriptor whose command carries this key; {@code body} is the key's value. */
    default FlightInfo getFlightInfo(JsonNode body, FlightDescriptor descriptor, FlightProducer.CallContext context) {
        throw FletcherFlightProducer.unsupported(key(), "GetFlightInfo");
    }

    /** DoPut; {@code body} is the key's value of the descriptor command. */
    default void acceptPut(JsonNode body, FlightStream stream, FlightProducer.StreamListener<PutResult> ack,
                           FlightProducer.CallContext context) {
        throw FletcherFlightProducer.unsupported(key(), "DoPut");
    }

    /**
     * DoExchange; {@code body} is the key's value of the descriptor command. The client's batches arrive on
     * {@code in}; answers go to {@code out}, which the handler starts, fills and completes.
     */
    default void doExchange(JsonNode body, FlightStream in, FlightProducer.ServerStreamListener out,
                            FlightProducer.CallContext context) {
        throw FletcherFlightProducer.unsupported(key(), "DoExchange");
    }

    /** DoGet; {@code body} is the key's value of the ticket. */
    default void getStream(JsonNode body, Ticket ticket, FlightProducer.ServerStreamListener listener,
                           FlightProducer.CallContext context) {
        throw FletcherFlightProducer.unsupported(key(), "DoGet");
    }
}
