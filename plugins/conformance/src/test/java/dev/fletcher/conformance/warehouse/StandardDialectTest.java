package dev.fletcher.conformance.warehouse;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;

/** The base dialect with nothing overridden: the golden table's {@code standard} column. */
class StandardDialectTest extends DialectConformanceTest {
    @Override
    protected Dialect dialect() {
        return new Dialect() {
            @Override
            public String name() {
                return "standard";
            }

            @Override
            public Capabilities capabilities() {
                return new Capabilities(false, false, false, 1000, 1 << 20);
            }
        };
    }
}
