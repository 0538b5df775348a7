package dev.fletcher.server.flight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.problem.FlightProblems;
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

/**
 * Routes Flight calls: actions by type, descriptor commands and tickets by the one key of their JSON object.
 * Commands and tickets that are not JSON (Flight SQL's protobuf messages) and actions of no handler go to the Flight SQL
 * producer, so both share the port. Anything unknown gets a Flight error saying what is known.
 */
public class FletcherFlightProducer implements FlightProducer {
    private final ObjectMapper json;
    private final Map<String, FlightCommandHandler> commands = new TreeMap<>();
    private final Map<String, FlightActionHandler> actions = new TreeMap<>();
    private final FlightProducer sql;
    private final FlightAuthentication access;
    private final java.util.Set<String> sqlActions = new java.util.TreeSet<>();

    /**
     * @param sql    serves Flight SQL's commands, tickets and actions; null for none
     * @param access checks the caller's role for each call; Flight SQL statements need {@link Role#READER}
     */
    public FletcherFlightProducer(ObjectMapper json, Iterable<FlightCommandHandler> commands,
                                  Iterable<FlightActionHandler> actions, FlightProducer sql,
                                  FlightAuthentication access) {
        this.json = json;
        this.sql = sql;
        this.access = access;
        if (sql != null) {
            sql.listActions(null, new StreamListener<>() {
                @Override
                public void onNext(ActionType type) {
                    sqlActions.add(type.getType());
                }

                @Override
                public void onError(Throwable t) {
                    throw new IllegalStateException("the Flight SQL producer cannot list its actions", t);
                }

                @Override
                public void onCompleted() {
                }
            });
        }
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
        if (handler == null && sqlActions.contains(action.getType())) {
            guard(listener::onError, () -> {
                access.require(context, Role.READER, "the Flight SQL action '" + action.getType() + "'");
                sql.doAction(context, action, listener);
            });
            return;
        }
        if (handler == null) {
            java.util.Set<String> known = new java.util.TreeSet<>(actions.keySet());
            known.addAll(sqlActions);
            listener.onError(CallStatus.INVALID_ARGUMENT.withDescription("unknown action '" + action.getType()
                    + "'; available actions: " + String.join(", ", known)).toRuntimeException());
            return;
        }
        guard(listener::onError, () -> {
            access.require(context, handler.role(), "the action '" + action.getType() + "'");
            handler.doAction(action, context, listener);
        });
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
        try {
            access.require(context, Role.READER, "ListActions");
        } catch (RuntimeException e) {
            listener.onError(FlightProblems.of(e));
            return;
        }
        actions.values().forEach(a -> listener.onNext(new ActionType(a.type(), a.description())));
        if (sql == null) {
            listener.onCompleted();
            return;
        }
        sql.listActions(context, new StreamListener<>() {
            @Override
            public void onNext(ActionType val) {
                listener.onNext(val);
            }

            @Override
            public void onError(Throwable t) {
                listener.onError(t);
            }

            @Override
            public void onCompleted() {
                listener.onCompleted();
            }
        });
    }

    /**
     * Flight SQL sends protobuf {@code Any} messages of its own types; Fletcher's own commands and tickets are JSON
     * objects, and anything else is answered as a command that is not JSON.
     */
    private boolean isSql(byte[] bytes) {
        if (sql == null || bytes.length == 0 || bytes[0] == '{') {
            return false;
        }
        try {
            return com.google.protobuf.Any.parseFrom(bytes).getTypeUrl().startsWith(FLIGHT_SQL_TYPES);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static final String FLIGHT_SQL_TYPES = "type.googleapis.com/arrow.flight.protocol.sql.";

    @Override
    public org.apache.arrow.flight.SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
        if (descriptor.isCommand() && isSql(descriptor.getCommand())) {
            access.require(context, Role.READER, FLIGHT_SQL);
            return sql.getSchema(context, descriptor);
        }
        return FlightProducer.super.getSchema(context, descriptor);
    }

    @Override
    public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
        if (descriptor.isCommand() && isSql(descriptor.getCommand())) {
            access.require(context, Role.READER, FLIGHT_SQL);
            return sql.getFlightInfo(context, descriptor);
        }
        Routed routed = route(descriptor);
        access.require(context, routed.handler.role(), routed.what);
        try {
            return routed.handler.getFlightInfo(routed.body, descriptor, context);
        } catch (RuntimeException e) {
            throw FlightProblems.of(e);
        }
    }

    @Override
    public Runnable acceptPut(CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
        if (stream.getDescriptor().isCommand() && isSql(stream.getDescriptor().getCommand())) {
            access.require(context, Role.READER, FLIGHT_SQL);
            return sql.acceptPut(context, stream, ackStream);
        }
        return () -> {
            try {
                Routed routed = route(stream.getDescriptor());
                access.require(context, routed.handler.role(), routed.what);
                routed.handler.acceptPut(routed.body, stream, ackStream, context);
            } catch (RuntimeException e) {
                ackStream.onError(FlightProblems.of(e));
            }
        };
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
        if (isSql(ticket.getBytes())) {
            guard(listener::error, () -> {
                access.require(context, Role.READER, FLIGHT_SQL);
                sql.getStream(context, ticket, listener);
            });
            return;
        }
        guard(listener::error, () -> {
            Routed routed = route("ticket", ticket.getBytes());
            access.require(context, routed.handler.role(), routed.what);
            routed.handler.getStream(routed.body, ticket, listener, context);
        });
    }

    @Override
    public void doExchange(CallContext context, FlightStream reader, ServerStreamListener writer) {
        guard(writer::error, () -> {
            Routed routed = route(reader.getDescriptor());
            access.require(context, routed.handler.role(), routed.what);
            routed.handler.doExchange(routed.body, reader, writer, context);
        });
    }

    @Override
    public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
        listener.onError(CallStatus.UNIMPLEMENTED.withDescription(
                "ListFlights is not offered: ask GetFlightInfo with a command instead").toRuntimeException());
    }

    /** @param what the command in words, for refusals */
    private record Routed(FlightCommandHandler handler, JsonNode body, String what) {
    }

    private static final String FLIGHT_SQL = "a Flight SQL statement";

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
        return new Routed(handler, root.get(key), "the '" + key + "' command");
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
            onError.accept(FlightProblems.of(e));
        }
    }
}
