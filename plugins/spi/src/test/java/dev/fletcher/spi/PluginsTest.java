package dev.fletcher.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginsTest {
    /** A kind of plugin of this test's own, so that the lookup is seen apart from any real plugin. */
    public interface GreeterFactory extends PluginFactory<Greeter> {
    }

    public interface Greeter extends AutoCloseable {
        @Override
        void close();
    }

    record Factory(String name, Set<String> aliases, boolean isDefault) implements GreeterFactory {
        @Override
        public Greeter create(PluginConfig config) {
            return () -> { };
        }
    }

    /** Registered in this module's test resources, as a plugin registers itself. */
    public static final class Registered implements GreeterFactory {
        @Override
        public String name() {
            return "registered";
        }

        @Override
        public Greeter create(PluginConfig config) {
            return () -> { };
        }
    }

    static final Factory POSTGRES = new Factory("postgres", Set.of("postgresql", "pg"), false);
    static final Factory DUCKDB = new Factory("duckdb", Set.of(), true);
    static final Factory BIGQUERY = new Factory("bigquery", Set.of(), false);

    final Plugins<GreeterFactory> plugins = Plugins.of(PluginKind.WAREHOUSE, List.of(POSTGRES, DUCKDB, BIGQUERY));

    @Test
    void findsAPluginByItsNameOrAnAliasIgnoringCase() {
        assertThat(plugins.find("duckdb")).isSameAs(DUCKDB);
        assertThat(plugins.find(" DuckDB ")).isSameAs(DUCKDB);
        assertThat(plugins.find("postgresql")).isSameAs(POSTGRES);
        assertThat(plugins.find("PG")).isSameAs(POSTGRES);
        assertThat(plugins.lookup("snowflake")).isEmpty();
        assertThat(plugins.lookup(null)).isEmpty();
    }

    @Test
    void anUnknownNameListsTheKnownPluginsInOrder() {
        assertThatThrownBy(() -> plugins.find("snowflake"))
                .isInstanceOf(PluginException.class)
                .hasMessage("no warehouse plugin named 'snowflake'; known: bigquery, duckdb, postgres");
    }

    @Test
    void withNoPluginOfTheKindTheMessageSaysWhatToAdd() {
        assertThatThrownBy(() -> Plugins.<GreeterFactory>of(PluginKind.ONLINE_STORE, List.of()).find("redis"))
                .hasMessage("no online store plugin named 'redis'; none is installed: add one to the server's build");
    }

    @Test
    void theDefaultIsThePluginThatSaysItIs() {
        assertThat(plugins.defaultPlugin()).isSameAs(DUCKDB);
        assertThatThrownBy(() -> Plugins.of(PluginKind.STREAM, List.of(POSTGRES, BIGQUERY)).defaultPlugin())
                .isInstanceOf(PluginException.class)
                .hasMessage("no stream plugin is the default; known: bigquery, postgres");
        Factory other = new Factory("sqlite", Set.of(), true);
        assertThatThrownBy(() -> Plugins.of(PluginKind.STREAM, List.of(DUCKDB, other)).defaultPlugin())
                .hasMessageContaining("several stream plugins claim to be the default");
    }

    @Test
    void loadsThePluginsRegisteredForTheKind() {
        Plugins<GreeterFactory> loaded = Plugins.load(GreeterFactory.class, PluginKind.ANALYSIS);
        assertThat(loaded.kind()).isEqualTo(PluginKind.ANALYSIS);
        assertThat(loaded.all()).singleElement().isInstanceOf(Registered.class);
        assertThat(loaded.find("Registered").name()).isEqualTo("registered");
        assertThat(loaded.find("registered").isDefault()).isFalse();
    }
}
