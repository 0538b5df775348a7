package dev.fletcher.server.warehouse;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A warehouse plugin for wiring tests: remembers what it was built from and whether it was closed. */
public class StubWarehouseFactory implements WarehouseFactory {
    public static final List<Stub> CREATED = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public Warehouse create(PluginConfig config) {
        if (config.get("fail").isPresent()) {
            throw new PluginException("stub instance '" + config.instanceName() + "' was told to fail");
        }
        Stub stub = new Stub(config);
        CREATED.add(stub);
        return stub;
    }

    public static final class Stub implements Warehouse {
        public final PluginConfig config;
        public volatile boolean closed;
        public volatile boolean down;
        public final AtomicInteger openSessions = new AtomicInteger();

        Stub(PluginConfig config) {
            this.config = config;
        }

        @Override
        public String instanceName() {
            return config.instanceName();
        }

        @Override
        public Dialect dialect() {
            throw new UnsupportedOperationException("the stub warehouse has no dialect");
        }

        /** A session that runs nothing and counts itself open until it is closed. */
        @Override
        public WarehouseSession openSession() {
            if (down) {
                throw new PluginException("stub warehouse is down");
            }
            openSessions.incrementAndGet();
            return (WarehouseSession) Proxy.newProxyInstance(WarehouseSession.class.getClassLoader(),
                    new Class<?>[] {WarehouseSession.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            openSessions.decrementAndGet();
                            return null;
                        }
                        throw new UnsupportedOperationException("the stub warehouse runs nothing");
                    });
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
