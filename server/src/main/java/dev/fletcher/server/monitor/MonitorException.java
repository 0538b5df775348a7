package dev.fletcher.server.monitor;

/** A monitor request that cannot be served: an unknown monitor (404) or a bad request (400). */
public class MonitorException extends RuntimeException {
    private final int status;

    public MonitorException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
