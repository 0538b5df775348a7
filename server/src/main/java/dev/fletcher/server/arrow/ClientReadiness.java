package dev.fletcher.server.arrow;

import io.grpc.Context;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.FlightProducer;

/**
 * Waits until a DoGet client (plain Flight or Flight SQL) can take another batch. It polls rather than waiting for gRPC's on-ready callback:
 * a DoGet handler runs on its call's own serial executor, which is where that callback would be delivered, so a
 * handler blocked on it would never be woken (the stream then stalls once the client falls behind).
 */
public final class ClientReadiness {
    public enum Result { READY, CANCELLED, TIMED_OUT }

    /** How long a stream waits for a client that reads nothing before it gives up. */
    public static final long PATIENCE_MILLIS = 10 * 60_000L;

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private ClientReadiness() {
    }

    public static Result await(FlightProducer.ServerStreamListener listener, long timeoutMillis) {
        if (listener.isReady()) {
            return Result.READY;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            // The call's context is cancelled on the transport thread, so this sees a client that went away at once.
            if (listener.isCancelled() || Context.current().isCancelled()) {
                return Result.CANCELLED;
            }
            if (listener.isReady()) {
                return Result.READY;
            }
            if (System.nanoTime() - deadline > 0) {
                return Result.TIMED_OUT;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }
}
