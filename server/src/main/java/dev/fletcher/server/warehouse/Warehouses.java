package dev.fletcher.server.warehouse;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;

/** The configured warehouse instances, as {@link PluginInstances} builds them, and calls on them. */
@ApplicationScoped
public class Warehouses {
    public static final String DEFAULT_INSTANCE = PluginInstances.WAREHOUSES.implicit();

    /** The plugin of an instance that names none: the warehouse plugin on the class path that declares itself so. */
    public static final String DEFAULT_PLUGIN = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).all()
            .stream().filter(WarehouseFactory::isDefault).map(WarehouseFactory::name).findFirst().orElse(null);

    private static final AtomicLong CALLS = new AtomicLong();

    private final PluginInstances plugins;
    private final ArrowMemory memory;

    @Inject
    public Warehouses(PluginInstances plugins, ArrowMemory memory) {
        this.plugins = plugins;
        this.memory = memory;
    }

    /**
     * The instance a source's {@code warehouse:} names.
     *
     * @throws PluginException naming the configured instances when there is no such instance
     */
    public Warehouse get(String instance) {
        return plugins.get(PluginInstances.WAREHOUSES, instance);
    }

    /** Every instance by name. */
    public Map<String, Warehouse> all() {
        return plugins.all(PluginInstances.WAREHOUSES);
    }

    /**
     * Opens a call on the instance for what a user asked; the caller closes it.
     *
     * @param purpose names the call's memory, so that a leak says whose it is
     * @throws RequestException when the instance does not exist or no session can be had
     */
    public WarehouseCall call(String instance, String purpose, Subject subject) {
        return call(instance, purpose, subject, null);
    }

    /**
     * As {@link #call(String, String, Subject)}, for a request that carries SQL of the user's own: the warehouse
     * rejecting it is the user's to fix.
     *
     * @param usersSql the request's field that holds the user's SQL, e.g. {@code entity_sql}
     */
    public WarehouseCall call(String instance, String purpose, Subject subject, String usersSql) {
        Warehouse warehouse;
        try {
            warehouse = get(instance);
        } catch (PluginException e) {
            throw new RequestException(Reason.WAREHOUSE_FAILED, subject, e.getMessage(), e);
        }
        BufferAllocator allocator = memory.child(purpose + " " + CALLS.incrementAndGet());
        WarehouseSession session;
        try {
            session = warehouse.openSession();
        } catch (RuntimeException e) {
            allocator.close();
            // no statement of the user's has run yet: a session that cannot be had is the warehouse's failure
            throw WarehouseCall.refusal(e, instance, subject, null);
        }
        return new WarehouseCall(warehouse, allocator, session, subject, usersSql);
    }
}
