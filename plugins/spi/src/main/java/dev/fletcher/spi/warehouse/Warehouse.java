package dev.fletcher.spi.warehouse;

/** A configured warehouse: where source data lives and where every query runs. Thread safe. */
public interface Warehouse extends AutoCloseable {
    /** The configured instance name (what a source's {@code warehouse:} refers to). */
    String instanceName();

    Dialect dialect();

    default Capabilities capabilities() {
        return dialect().capabilities();
    }

    /**
     * A session holds one connection; uploaded tables live as long as the session. Not thread safe: one
     * session per request or thread.
     *
     * @throws dev.fletcher.spi.PluginException when no connection can be had (or the warehouse is closed)
     */
    WarehouseSession openSession();

    /** Closes every session still open and releases the warehouse's resources. */
    @Override
    void close();
}
