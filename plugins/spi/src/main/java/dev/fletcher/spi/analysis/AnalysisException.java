package dev.fletcher.spi.analysis;

import dev.fletcher.spi.PluginException;

/** A request the analysis cannot serve as asked; the message says what to change. */
public class AnalysisException extends PluginException {
    public AnalysisException(String message) {
        super(message);
    }
}
