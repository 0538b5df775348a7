package dev.fletcher.engine.sql;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;

/** The base dialect with nothing overridden: what the engine's own tests render with, no plugin needed. */
final class StandardDialect extends Dialect {
    static final Dialect INSTANCE = new StandardDialect();

    @Override
    public String name() {
        return "standard";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, 100, 1 << 20);
    }
}
