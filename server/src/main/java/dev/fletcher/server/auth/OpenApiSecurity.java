package dev.fletcher.server.auth;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/** Declares the API key in the API description, so Swagger UI's "Authorize" sends it with every call. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiSecurity implements OASFilter {
    static final String SCHEME = "apiKey";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("Fletcher API key")
                .description("An API key (POST /api/v1/keys) as 'Authorization: Bearer <key>'. A server without keys"
                        + " serves clients on its own machine without one (protected mode)."));
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
    }
}
