package dev.fletcher.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every REST endpoint of the server declares the least role it needs, and the sensitive ones need enough. */
class EndpointRolesTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.fletcher.server");

    /** Every resource method (one with an HTTP method annotation), as "VERB /path" → its role, or null. */
    static Map<String, Role> endpoints() {
        Map<String, Role> endpoints = new TreeMap<>();
        for (var type : SERVER) {
            String base = type.tryGetAnnotationOfType(Path.class).map(Path::value).orElse("");
            for (JavaMethod method : type.getMethods()) {
                List<String> verbs = method.getAnnotations().stream()
                        .filter(a -> a.getRawType().isAnnotatedWith(HttpMethod.class))
                        .map(a -> a.getRawType().getSimpleName()).toList();
                if (verbs.isEmpty()) {
                    continue;
                }
                String path = base + method.tryGetAnnotationOfType(Path.class).map(Path::value).orElse("");
                Role role = method.tryGetAnnotationOfType(Requires.class).map(Requires::value).orElse(null);
                verbs.forEach(verb -> endpoints.put(verb + " " + path, role));
            }
        }
        return endpoints;
    }

    @Test
    void everyEndpointDeclaresItsRole() {
        Map<String, Role> endpoints = endpoints();
        assertThat(endpoints).as("the REST endpoints found").hasSizeGreaterThan(20)
                .containsKeys("POST /api/v1/catalog/apply", "GET /api/v1/keys", "POST /api/v1/training-sets");
        assertThat(endpoints.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey))
                .as("endpoints without @Requires").isEmpty();
    }

    @Test
    void changesToTheCatalogAndKeysNeedAnAdminAndRunsAnAnalyst() {
        Map<String, Role> endpoints = endpoints();
        assertThat(endpoints).containsEntry("POST /api/v1/catalog/apply", Role.ADMIN)
                .containsEntry("POST /api/v1/keys", Role.ADMIN)
                .containsEntry("GET /api/v1/keys", Role.ADMIN)
                .containsEntry("GET /api/v1/keys/me", Role.READER)
                .containsEntry("DELETE /api/v1/keys/{key}", Role.ADMIN)
                .containsEntry("POST /api/v1/materialize", Role.ANALYST)
                .containsEntry("POST /api/v1/monitors/{name}/run", Role.ANALYST)
                .containsEntry("POST /api/v1/experiments/{name}/analysis", Role.ANALYST)
                .containsEntry("POST /api/v1/online/features", Role.READER)
                .containsEntry("POST /api/v1/metrics/query", Role.READER)
                .containsEntry("GET /api/v1/catalog/history", Role.READER);
        assertThat(Role.ADMIN.covers(Role.ANALYST)).isTrue();
        assertThat(Role.ANALYST.covers(Role.READER)).isTrue();
        assertThat(Role.READER.covers(Role.ANALYST)).isFalse();
    }
}
