package dev.fletcher.spi;

/** The kinds of plugin, named as messages name them. */
public enum PluginKind {
    WAREHOUSE("warehouse"),
    ONLINE_STORE("online store"),
    STREAM("stream"),
    ANALYSIS("analysis");

    private final String words;

    PluginKind(String words) {
        this.words = words;
    }

    /** The kind in a sentence, e.g. {@code online store}. */
    @Override
    public String toString() {
        return words;
    }
}
