package dev.fletcher.spi.online;

import dev.fletcher.spi.PluginException;

/** The store's backend cannot be reached (or did not answer in time); the call may succeed later unchanged. */
public class OnlineStoreUnavailableException extends PluginException {
    public OnlineStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
