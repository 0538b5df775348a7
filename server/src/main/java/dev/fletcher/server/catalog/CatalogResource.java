package dev.fletcher.server.catalog;

import dev.fletcher.catalog.lang.BundleError;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.CatalogCodec;
import dev.fletcher.catalog.persistence.StoredObject;
import dev.fletcher.server.auth.Caller;
import dev.fletcher.server.auth.HttpAccess;
import dev.fletcher.server.auth.Requires;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.http.Page;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The catalog over HTTP: apply bundles, read definitions and their history. */
@Path("/api/v1/catalog")
public class CatalogResource {
    static final String YAML = "application/yaml";

    private final CatalogService catalog;
    private final long maxBundleBytes;

    private final RoutingContext request;

    @Inject
    public CatalogResource(CatalogService catalog, FletcherConfig config, RoutingContext request) {
        this.catalog = catalog;
        this.request = request;
        this.maxBundleBytes = config.catalog().maxBundleBytes().asLongValue();
    }

    @Requires(Role.ADMIN)
    @POST
    @Path("/apply")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply a YAML bundle", description = "Creates and updates the bundle's objects in one"
            + " transaction and answers the plan: created, updated, unchanged or deleted, per object.")
    public CatalogResponses.Applied apply(
            InputStream body,
            @Parameter(description = "Answer the plan only; store nothing")
            @QueryParam("dry_run") @DefaultValue("false") boolean dryRun,
            @Parameter(description = "Also delete stored objects the bundle no longer holds")
            @QueryParam("prune") @DefaultValue("false") boolean prune,
            @Parameter(description = "Names the bundle's documents in error messages")
            @QueryParam("name") @DefaultValue("bundle") String name,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength) {
        if (contentLength != null && contentLength > maxBundleBytes) {
            throw tooLarge(maxBundleBytes);
        }
        String text = decode(name, readBounded(body, maxBundleBytes));
        String by = HttpAccess.caller(request).map(Caller::name).orElseThrow();
        return CatalogResponses.Applied.of(catalog.applyChecked(name, text, dryRun, prune, by));
    }

    @Requires(Role.READER)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every object of the catalog, grouped by kind, with the catalog version")
    public CatalogResponses.Catalog all() {
        // The version is read first: a concurrent apply can only make the list newer than it, never older.
        long version = catalog.catalogVersion();
        return CatalogResponses.Catalog.of(version, catalog.list());
    }

    @Requires(Role.READER)
    @GET
    @Path("/history")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recent changes across the catalog, newest first, with who made each",
            description = "Paged with limit (default 100, at most 1000) and offset; next_offset is null on the last"
                    + " page.")
    public CatalogResponses.History history(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Page page = Page.of(limit, offset, 100, Subject.CATALOG);
        List<CatalogResponses.HistoryEntry> changes = catalog.history(page.limit(), page.offset()).stream()
                .map(CatalogResponses.HistoryEntry::of).toList();
        return new CatalogResponses.History(changes, page.limit(), page.offset(),
                changes.size() < page.limit() ? null : page.next());
    }

    @Requires(Role.READER)
    @GET
    @Path("/{kind}/{name}")
    @Produces({MediaType.APPLICATION_JSON, YAML})
    @Operation(summary = "One object: its definition (JSON, or YAML with Accept: application/yaml) and version")
    public Response get(@PathParam("kind") String kind, @PathParam("name") String name, @jakarta.ws.rs.core.Context
            HttpHeaders headers) {
        StoredObject stored = catalog.get(kind, name);
        if (prefersYaml(headers.getAcceptableMediaTypes())) {
            String yaml = CatalogCodec.toYaml(CatalogCodec.fromJson(stored.key().kind(), stored.spec()));
            return Response.ok(yaml, YAML).header("ETag", "\"" + stored.version() + "\"").build();
        }
        return Response.ok(CatalogResponses.CatalogObjectBody.of(stored), MediaType.APPLICATION_JSON)
                .header("ETag", "\"" + stored.version() + "\"").build();
    }

    @Requires(Role.READER)
    @GET
    @Path("/{kind}/{name}/versions")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every version of one object, oldest first, deletions included")
    public CatalogResponses.Versions versions(@PathParam("kind") String kind, @PathParam("name") String name) {
        return new CatalogResponses.Versions(kind, name,
                catalog.versions(kind, name).stream().map(CatalogResponses.Version::of).toList());
    }

    private static boolean prefersYaml(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (isYaml(type)) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    private static boolean isYaml(MediaType type) {
        return !type.isWildcardSubtype() && !type.isWildcardType()
                && (type.getSubtype().equals("yaml") || type.getSubtype().equals("x-yaml"));
    }

    /** Reads at most {@code limit} bytes; one more means the bundle is too large, and reading stops there. */
    static byte[] readBounded(InputStream body, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        try (body) {
            int n;
            while ((n = body.read(buffer)) != -1) {
                total += n;
                if (total > limit) {
                    throw tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundle failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static String decode(String name, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BundleException(List.of(new BundleError(name, null, null,
                    "the bundle is not valid UTF-8 text; save it as UTF-8 and send it again")));
        }
    }

    private static RequestException tooLarge(long limit) {
        return new RequestException(Reason.TOO_LARGE, Subject.CATALOG, "the bundle is larger than " + limit
                + " bytes (fletcher.catalog.max-bundle-bytes); split it into several applies or raise the limit");
    }
}
