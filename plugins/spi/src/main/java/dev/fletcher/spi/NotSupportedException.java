package dev.fletcher.spi;

/** The one error an optional capability throws when a plugin does not have it. */
public class NotSupportedException extends PluginException {
    public NotSupportedException(String plugin, String capability) {
        super(capability + " is not supported by this warehouse (" + plugin + ")");
    }
}
