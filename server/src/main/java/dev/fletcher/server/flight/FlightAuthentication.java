package dev.fletcher.server.flight;

import dev.fletcher.server.auth.ApiKeys;
import dev.fletcher.server.auth.Authenticator;
import dev.fletcher.server.auth.Caller;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.problem.RequestException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Authentication of Flight and Flight SQL calls, by Flight's header authentication: {@code Authorization: Bearer
 * <key>} on every call (pyarrow with a header, the Flight SQL JDBC driver's {@code token=}), or Basic with the key
 * as password on the handshake ({@code authenticate_basic_token}, the driver's {@code user}/{@code password}), which
 * answers the bearer token to send from then on. The peer identity of a call is the caller's name; each command
 * and action then checks its role ({@link #require}).
 *
 * <p>Flight's authenticator sees headers only, not the client's address; a gRPC interceptor that runs right after
 * it refuses a call that came without a key from another machine, which authentication only lets through in
 * protected mode.
 */
@ApplicationScoped
public class FlightAuthentication implements CallHeaderAuthenticator {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of(Auth2Constants.AUTHORIZATION_HEADER,
            Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;
    private final ApiKeys keys;

    @Inject
    public FlightAuthentication(Authenticator authenticator, ApiKeys keys) {
        this.authenticator = authenticator;
        this.keys = keys;
    }

    @Override
    public AuthResult authenticate(CallHeaders headers) {
        String header = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
        Caller caller;
        try {
            // Taken as loopback here; the interceptor below refuses a keyless call from elsewhere.
            caller = authenticator.authenticate(Optional.ofNullable(header), true);
        } catch (RequestException refused) {
            throw refused.reason().flight().withDescription(refused.getMessage()).toRuntimeException();
        }
        String basicKey = header != null && header.regionMatches(true, 0, Auth2Constants.BASIC_PREFIX, 0,
                Auth2Constants.BASIC_PREFIX.length()) ? Authenticator.presentedKey(header) : null;
        return new AuthResult() {
            @Override
            public String getPeerIdentity() {
                return caller.name();
            }

            @Override
            public void appendToOutgoingHeaders(CallHeaders outgoing) {
                if (basicKey != null) {
                    // The handshake's answer: the bearer token to send on later calls is the key itself, so
                    // revoking the key ends every session at once.
                    outgoing.insert(Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + basicKey);
                }
            }
        };
    }

    /** Hooks {@link #loopbackGuard()} into the gRPC server Flight builds. */
    Consumer<NettyServerBuilder> grpcHook() {
        return builder -> builder.intercept(loopbackGuard());
    }

    /** Refuses calls without a key from other machines: authentication lets them pass in protected mode only. */
    ServerInterceptor loopbackGuard() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String header = headers.get(AUTHORIZATION);
                if ((header == null || header.isBlank())
                        && !isLoopback(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))) {
                    call.close(Status.PERMISSION_DENIED.withDescription("this server has no API key yet, so it"
                            + " serves only clients on its own machine (protected mode); "
                            + Authenticator.HOW_TO_CREATE_A_KEY), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    static boolean isLoopback(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    /**
     * Checks that the call's caller may do what {@code needed} may.
     *
     * @throws FlightRuntimeException UNAUTHENTICATED when the caller's key is gone, UNAUTHORIZED (gRPC's
     *                                PERMISSION_DENIED) when the role does not reach
     */
    public void require(FlightProducer.CallContext context, Role needed, String what) {
        Caller caller = caller(context);
        if (!caller.may(needed)) {
            throw CallStatus.UNAUTHORIZED.withDescription(what + " needs the " + needed.id() + " role; the key '"
                    + caller.name() + "' has the " + caller.role().id() + " role").toRuntimeException();
        }
    }

    private Caller caller(FlightProducer.CallContext context) {
        String identity = context == null ? null : context.peerIdentity();
        if (Caller.LOCAL.equals(identity)) {
            return new Caller(Caller.LOCAL, Role.ADMIN);
        }
        if (identity == null || identity.isEmpty()) {
            throw CallStatus.UNAUTHENTICATED.withDescription("this server needs an API key: send 'Authorization:"
                    + " Bearer <key>'").toRuntimeException();
        }
        return keys.byName(identity).orElseThrow(() -> CallStatus.UNAUTHENTICATED.withDescription("the API key of"
                + " this call was revoked").toRuntimeException());
    }
}
