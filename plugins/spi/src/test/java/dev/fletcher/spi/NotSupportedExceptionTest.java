package dev.fletcher.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotSupportedExceptionTest {
    @Test
    void namesTheKindThePluginAndTheInstance() {
        NotSupportedException e = new NotSupportedException(PluginKind.ONLINE_STORE, "redis", "cache",
                "stream state on Redis Cluster");
        assertThat(e).hasMessage("stream state on Redis Cluster is not supported by online store 'cache' (redis)");
        assertThat(e.kind()).isEqualTo(PluginKind.ONLINE_STORE);
        assertThat(e.plugin()).isEqualTo("redis");
        assertThat(e.instance()).isEqualTo("cache");
        assertThat(e.capability()).isEqualTo("stream state on Redis Cluster");
        assertThat(new NotSupportedException(PluginKind.STREAM, "kafka", "kafka", "stream format 'avro'"))
                .hasMessage("stream format 'avro' is not supported by stream 'kafka' (kafka)");
    }

    @Test
    void codeThatServesEveryInstanceLeavesTheInstanceToTheCaller() {
        NotSupportedException dialect = new NotSupportedException(PluginKind.WAREHOUSE, "postgres",
                "approximate percentile");
        assertThat(dialect).hasMessage("approximate percentile is not supported by this warehouse (postgres)");
        assertThat(dialect.instance()).isNull();

        NotSupportedException named = dialect.in("analytics");
        assertThat(named).hasMessage("approximate percentile is not supported by warehouse 'analytics' (postgres)")
                .hasCause(dialect);
        assertThat(named.kind()).isEqualTo(PluginKind.WAREHOUSE);
        assertThat(named.capability()).isEqualTo("approximate percentile");
    }
}
