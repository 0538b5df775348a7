package dev.fletcher.server.flight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.jboss.logging.Logger;

/**
 * Routes Flight calls: actions by type, descriptor commands and tickets by the one key of their JSON object.
 * Anything unknown gets a Flight error saying what is known.
 */
public class FletcherFlightProducer implements FlightProducer {
    private static final Logger LOG = Logger.getLogger(FletcherFlightProducer.class);

    private final ObjectMapper json;
    private final Map<String, FlightCommandHandler> commands = new TreeMap<>();
    private final Map<String, FlightActionHandler> actions = new TreeMap<>();

    public FletcherFlightProducer(ObjectMapper json, Iterable<FlightCommandHandler> commands,
                                  Iterable<FlightActionHandler> actions) {
        this.json = json;
        commands.forEach(h -> register(this.commands, h.key(), h));
        actions.forEach(h -> register(this.actions, h.type(), h));
    }

    private static <T> void register(Map<String, T> handlers, String name, T handler) {
        if (handlers.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("two Flight handlers claim '" + name + "'");
        }
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
        FlightActionHandler handler = actions.get(action.getType());
        if (handler == null) {
            listener.onError(CallStatus.INVALID_ARGUMENT.withDescription("unknown action '" + action.getType()
                    + "'; available actions: " + String.join(", ", actions.keySet())).toRuntimeException());
            return;
        }
        guard(listener::onError, () -> handler.doAction(action, context, listener));
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
        actions.values().forEach(a -> listener.onNext(new ActionType(a.type(), a.description())));
        listener.onCompleted();
    }

    @Override
    public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
        Routed routed = route(descriptor);
        try {
            return routed.handler.getFlightInfo(routed.body, descriptor, context);
        } catch (RuntimeException e) {
            throw toFlight(e);
        }
    }

    @Override
    public Runnable acceptPut(CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
        return () -> {
            try {
                Routed routed = route(stream.getDescriptor());
                routed.handler.acceptPut(routed.body, stream, ackStream, context);
            } catch (RuntimeException e) {
                ackStream.onError(toFlight(e));
            }
        };
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
        guard(listener::error, () -> {
            Routed routed = route("ticket", ticket.getBytes());
            routed.handler.getStream(routed.body, ticket, listener, context);
        });
    }

    @Override
    public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
        listener.onError(CallStatus.UNIMPLEMENTED.withDescription(
                "ListFlights is not offered: ask GetFlightInfo with a command instead").toRuntimeException());
    }

    private record Routed(FlightCommandHandler handler, JsonNode body) {
    }

    private Routed route(FlightDescriptor descriptor) {
        if (!descriptor.isCommand()) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("path descriptors are not served; send a command"
                    + " descriptor holding a JSON object, one of: " + keys()).toRuntimeException();
        }
        return route("descriptor command", descriptor.getCommand());
    }

    private Routed route(String what, byte[] bytes) {
        JsonNode root;
        try {
            root = json.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("the " + what + " is not JSON ("
                    + e.getOriginalMessage() + "); send a JSON object with one of the keys: " + keys())
                    .toRuntimeException();
        }
        if (root == null || !root.isObject() || root.size() != 1) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("the " + what
                    + " must be a JSON object with exactly one key, one of: " + keys()).toRuntimeException();
        }
        String key = root.fieldNames().next();
        FlightCommandHandler handler = commands.get(key);
        if (handler == null) {
            throw CallStatus.INVALID_ARGUMENT.withDescription("unknown command '" + key + "' in the " + what
                    + "; known commands: " + keys()).toRuntimeException();
        }
        return new Routed(handler, root.get(key));
    }

    private String keys() {
        return commands.isEmpty() ? "(none yet)" : String.join(", ", commands.keySet());
    }

    static FlightRuntimeException unsupported(String key, String call) {
        return CallStatus.UNIMPLEMENTED.withDescription("the '" + key + "' command does not support " + call)
                .toRuntimeException();
    }

    private static void guard(java.util.function.Consumer<Throwable> onError, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            onError.accept(toFlight(e));
        }
    }

    /** Flight errors pass through; anything else is a server fault, logged here and reported without a trace. */
    static FlightRuntimeException toFlight(RuntimeException e) {
        if (e instanceof FlightRuntimeException flight) {
            return flight;
        }
        if (e instanceof IllegalArgumentException) {
            return CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException();
        }
        LOG.error("Flight call failed", e);
        return CallStatus.INTERNAL.withDescription("the server failed: " + e.getMessage()).toRuntimeException();
    }
}
