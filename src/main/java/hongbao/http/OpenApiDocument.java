package hongbao.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json}: docs/openapi.json, which the build copies into the jar, so that what is served is what
 * the repository documents.
 */
final class OpenApiDocument {
    static final String CLASSPATH_LOCATION = "api/openapi.json";

    private OpenApiDocument() {
    }

    static Answer load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_LOCATION + " is missing from the classpath: the build copies it from docs/");
            }
            return new Answer(200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLASSPATH_LOCATION, e);
        }
    }
}
