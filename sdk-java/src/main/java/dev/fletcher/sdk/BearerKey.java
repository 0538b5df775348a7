package dev.fletcher.sdk;

import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClientMiddleware;

/** Sends {@code Authorization: Bearer <key>} on every Flight call of the client. */
final class BearerKey implements FlightClientMiddleware.Factory {
    private final String header;

    BearerKey(String key) {
        this.header = "Bearer " + key;
    }

    @Override
    public FlightClientMiddleware onCallStarted(CallInfo info) {
        return new FlightClientMiddleware() {
            @Override
            public void onBeforeSendingHeaders(CallHeaders outgoing) {
                outgoing.insert("Authorization", header);
            }

            @Override
            public void onHeadersReceived(CallHeaders incoming) {
            }

            @Override
            public void onCallCompleted(CallStatus status) {
            }
        };
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "Bearer <key>";
    }
}
