package dev.fletcher.server.example;

import dev.fletcher.examples.ExampleTable;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.jboss.logging.Logger;

/**
 * Loads the example's tables into the {@code default} warehouse at start when {@code fletcher.example.enabled} is
 * true. Tables that already exist are left alone, so restarts neither duplicate nor overwrite data.
 */
@ApplicationScoped
public class ExampleLoader {
    static final String WAREHOUSE = Warehouses.DEFAULT_INSTANCE;
    private static final Logger LOG = Logger.getLogger(ExampleLoader.class);

    private final Warehouses warehouses;
    private final ArrowMemory memory;
    private final FletcherConfig config;

    @Inject
    public ExampleLoader(Warehouses warehouses, ArrowMemory memory, FletcherConfig config) {
        this.warehouses = warehouses;
        this.memory = memory;
        this.config = config;
    }

    /** Before the catalog loads at start (default priority): apply reads the example's sources in the warehouse. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        if (config.example().enabled()) {
            load();
        }
    }

    /** Creates every example table the warehouse lacks; answers the names of the tables it created. */
    public List<String> load() {
        List<String> created = new ArrayList<>();
        try (WarehouseSession session = warehouses.get(WAREHOUSE).openSession();
                BufferAllocator allocator = memory.child("example-loader")) {
            ExampleData data = null;
            for (String table : ExampleData.TABLES) {
                if (session.tableExists(table)) {
                    continue;
                }
                if (data == null) {
                    data = ExampleData.generate();
                }
                ExampleTable rows = data.table(table);
                try (ArrowReader reader = rows.reader(allocator)) {
                    session.createTable(table, reader, false);
                } catch (IOException e) {
                    throw new IllegalStateException("could not load example table '" + table + "'", e);
                }
                created.add(table);
                LOG.infof("Example: loaded table %s (%d rows) into warehouse '%s'", table, rows.rowCount(), WAREHOUSE);
            }
        }
        if (created.isEmpty()) {
            LOG.infof("Example: every table is already in warehouse '%s'; nothing to load", WAREHOUSE);
        }
        return created;
    }
}
