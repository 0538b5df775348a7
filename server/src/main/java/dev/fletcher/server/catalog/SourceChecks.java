package dev.fletcher.server.catalog;

import dev.fletcher.catalog.lang.BundleError;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.UserSql;
import dev.fletcher.engine.sql.SourceCheck;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import dev.fletcher.server.warehouse.WarehouseCall;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.PluginException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What apply checks of the sources a bundle creates or changes, before anything is stored: that each source's
 * {@code sql} is one query, and, when its warehouse can be reached, that the warehouse reads it and answers the
 * columns the source names. A {@code table:} source is not read: its table may be loaded after the catalog.
 */
@ApplicationScoped
public class SourceChecks {
    /** A source whose warehouse could not be asked, and why. */
    public record NotChecked(String source, String warehouse, String reason) {
    }

    private final Warehouses warehouses;

    @Inject
    public SourceChecks(Warehouses warehouses) {
        this.warehouses = warehouses;
    }

    /** The SQL of each source: one query, nothing else; needs no warehouse. @throws BundleException naming each */
    public static void checkSql(List<ParsedObject> sources) {
        List<BundleError> errors = new ArrayList<>();
        for (ParsedObject parsed : sources) {
            if (parsed.object() instanceof Source source && source.sql() != null) {
                UserSql.problem(source.sql()).ifPresent(problem -> errors.add(new BundleError(parsed.document(),
                        parsed.lineOf("sql"), "sql", "source `" + source.name() + "`: " + problem)));
            }
        }
        if (!errors.isEmpty()) {
            throw new BundleException(errors);
        }
    }

    /**
     * Reads each source with SQL in its warehouse.
     *
     * @return the sources that were not checked because their warehouse could not be reached
     * @throws BundleException naming each source the warehouse cannot read or that lacks a column it names
     */
    public List<NotChecked> check(List<ParsedObject> sources) {
        checkSql(sources);
        Map<String, List<ParsedObject>> byWarehouse = new LinkedHashMap<>();
        for (ParsedObject parsed : sources) {
            if (parsed.object() instanceof Source source && source.sql() != null) {
                byWarehouse.computeIfAbsent(source.warehouse(), w -> new ArrayList<>()).add(parsed);
            }
        }
        List<NotChecked> notChecked = new ArrayList<>();
        List<BundleError> errors = new ArrayList<>();
        byWarehouse.forEach((instance, parsedSources) -> {
            WarehouseCall call;
            try {
                call = warehouses.call(instance, "source check", Subject.CATALOG);
            } catch (RequestException e) {
                parsedSources.forEach(p -> notChecked.add(new NotChecked(((Source) p.object()).name(), instance,
                        e.getMessage())));
                return;
            }
            try (call) {
                for (ParsedObject parsed : parsedSources) {
                    check(parsed, call, errors);
                }
            }
        });
        if (!errors.isEmpty()) {
            throw new BundleException(errors);
        }
        return notChecked;
    }

    private static void check(ParsedObject parsed, WarehouseCall call, List<BundleError> errors) {
        Source source = (Source) parsed.object();
        try {
            SourceCheck.problems(source, call.dialect(), call.session(), call.allocator()).forEach((field, problem) ->
                    errors.add(new BundleError(parsed.document(), parsed.lineOf(field), field, "source `"
                            + source.name() + "`: " + problem)));
        } catch (PluginException | IllegalArgumentException e) {
            errors.add(new BundleError(parsed.document(), parsed.lineOf("sql"), "sql", "source `" + source.name()
                    + "` cannot be read in warehouse '" + source.warehouse() + "': " + e.getMessage()));
        }
    }
}
