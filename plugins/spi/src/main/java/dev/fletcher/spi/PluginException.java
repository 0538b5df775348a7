package dev.fletcher.spi;

/** A plugin failed; the message is meant for the user and carries the underlying system's own words. */
public class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
