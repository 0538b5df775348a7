package dev.fletcher.spi.online;

/**
 * One run's new layer of a view. Rows are sent to the backend in batches as they come, so a large run never sits
 * in memory. Not thread safe. Closing without {@link #publish} discards the layer.
 */
public interface OnlineWriter extends AutoCloseable {
    /**
     * Writes one entity's row.
     *
     * @param key    from {@link OnlineKeys#encode}
     * @param values in the order of the features the run will publish
     */
    void put(String key, Object[] values);

    /** Rows written so far. */
    long rows();

    /**
     * Makes the layer visible as the view's new state, in one step.
     *
     * @return the published state
     */
    OnlineView publish(Publication publication);

    @Override
    void close();
}
