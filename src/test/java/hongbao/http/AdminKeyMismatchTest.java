package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A walkthrough pasted with another key than the service's gets 401 UNAUTHENTICATED that says the key does not match,
 * not that one is required; a call with no key at all still says one is required.
 */
class AdminKeyMismatchTest {
    @Test
    void aWrongAdminKeyIsToldApartFromNoKey() {
        try (TestServer server = TestServer.start(TestServer.config(TestServer.freshDir()))) {
            ApiClient.Response wrongKey = new ApiClient(server.baseUrl(), "change-me-to-a-long-secret")
                    .post("/v1/admin/users", "{\"userId\":\"km-alice\",\"name\":\"Alice\"}").expectStatus(401);
            assertThat(wrongKey.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(wrongKey.json().path("error").path("message").asText())
                    .contains("admin key does not match").contains("HONGBAO_ADMIN_KEY").contains("admin.key")
                    .doesNotContain("required");

            ApiClient.Response noKey = new ApiClient(server.baseUrl(), null)
                    .post("/v1/admin/users", "{\"userId\":\"km-alice\",\"name\":\"Alice\"}").expectStatus(401);
            assertThat(noKey.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(noKey.json().path("error").path("message").asText()).contains("required");
        }
    }
}
