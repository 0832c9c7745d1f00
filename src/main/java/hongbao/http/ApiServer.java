package hongbao.http;

import hongbao.app.AccountService;
import hongbao.app.MerchantServices;
import hongbao.app.PacketService;
import hongbao.app.PaymentService;
import hongbao.app.TokenService;
import hongbao.domain.ErrorCode;
import hongbao.domain.Limits;
import hongbao.domain.Rejection;
import hongbao.store.StoreSets;
import hongbao.store.StoreException;
import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge: routes API v1 to its endpoints and turns every outcome into API.md's answers. */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final WebServer server;
    private final int maxBodyBytes;
    private final List<String> routes;

    /**
     * @param providerKey the key payment notifications are signed with
     * @param limits      told to clients (GET /v1/config), like {@code packetTtl}; the services enforce them
     */
    public record Settings(String host, int port, int maxBodyBytes, String adminKey, String providerKey, boolean devLogin,
            Limits limits, Duration packetTtl) {
    }

    public ApiServer(Settings settings, StoreSets sets, AccountService accounts, PacketService packets,
            PaymentService payments, MerchantServices merchants, TokenService tokens, BooleanSupplier ready,
            Supplier<String> metrics, OperatorSummary operatorSummary) {
        this.maxBodyBytes = settings.maxBodyBytes();
        Auth auth = new Auth(settings.adminKey(), tokens);
        IdempotencyGuard idempotency = new IdempotencyGuard(sets);
        AdminEndpoints admin = new AdminEndpoints(accounts, tokens, idempotency, operatorSummary);
        UserEndpoints user = new UserEndpoints(auth, accounts, packets, idempotency);
        PaymentEndpoints payment = new PaymentEndpoints(auth, payments, packets, settings.providerKey());
        DevLoginEndpoints devLogin = new DevLoginEndpoints(settings.devLogin(), accounts, tokens);
        ClientConfigEndpoint clientConfig = new ClientConfigEndpoint(settings.devLogin(), settings.limits(),
                settings.packetTtl());
        MerchantEndpoints merchant = new MerchantEndpoints(merchants.directory(), merchants.redpacks());
        MerchantAdminEndpoints merchantAdmin = new MerchantAdminEndpoints(merchants.accounts(), merchants.campaigns(),
                accounts);
        Answer openApi = OpenApiDocument.load();
        Routes routes = new Routes()
                .post("/v1/admin/users", admin(auth, admin::createUser))
                .post("/v1/admin/user-batches", admin(auth, admin::createUsers))
                .post("/v1/admin/users/{userId}/tokens", admin(auth, admin::issueToken))
                .post("/v1/admin/users/{userId}/deposits", admin(auth, admin::deposit))
                .post("/v1/admin/groups", admin(auth, admin::createGroup))
                .post("/v1/admin/groups/{groupId}/members", admin(auth, admin::addMembers))
                .get("/v1/admin/audit", admin(auth, admin::audit))
                .get("/v1/admin/payments/refunds-due", admin(auth, payment::refundsDue))
                .get("/v1/admin/summary", admin(auth, admin::summary))
                .get("/v1/config", handler(clientConfig::config))
                .get("/v1/dev/users", handler(devLogin::users))
                .post("/v1/dev/login", handler(devLogin::login))
                .get("/v1/groups", handler(user::groups))
                .post("/v1/admin/merchants", admin(auth, merchantAdmin::createMerchant))
                .get("/v1/admin/merchants/{mchId}", admin(auth, merchantAdmin::merchant))
                .post("/v1/admin/merchants/{mchId}/openids", admin(auth, merchantAdmin::bindOpenid))
                .post("/v1/admin/merchants/{mchId}/openid-batches", admin(auth, merchantAdmin::bindOpenids))
                .post("/v1/admin/merchants/{mchId}/campaigns", admin(auth, merchantAdmin::createCampaign))
                .get("/v1/admin/merchants/{mchId}/campaigns/{campaignId}", admin(auth, merchantAdmin::campaign))
                .post("/v1/admin/merchants/{mchId}/campaigns/{campaignId}/entries", admin(auth, merchantAdmin::enter))
                .get("/v1/admin/merchants/{mchId}/campaigns/{campaignId}/wins", admin(auth, merchantAdmin::wins))
                .post(MerchantEndpoints.SEND_REDPACK, handler(merchant::sendRedpack))
                .post(MerchantEndpoints.SEND_GROUP_REDPACK, handler(merchant::sendGroupRedpack))
                .post(MerchantEndpoints.GET_HB_INFO, handler(merchant::getHbInfo))
                .get("/v1/wallet", handler(user::wallet))
                .get("/v1/wallet/transactions", handler(user::transactions))
                .post("/v1/packets", handler(user::send))
                .post("/v1/packets/{id}/grab", handler(user::grab))
                .post("/v1/packets/{id}/open", handler(user::open))
                .get("/v1/packets/{id}", handler(user::view))
                .post("/v1/packets/{id}/share", handler(user::share))
                .get("/v1/groups/{groupId}/packets", handler(user::groupPackets))
                .post("/v1/packets/{id}/payment/client-confirm", handler(payment::clientConfirm))
                .post("/v1/payments/notify", handler(payment::notify))
                .get("/health", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"status\":\"UP\"}"))
                .get("/ready", (req, res) -> {
                    boolean up = ready.getAsBoolean();
                    res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(up ? "{\"status\":\"READY\"}" : "{\"status\":\"NOT_READY\"}");
                })
                .get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4")
                        .send(metrics.get()))
                .get("/openapi.json", handler(exchange -> openApi));
        this.routes = routes.registered();
        HttpRouting.Builder routing = routes.routing()
                .register("/", WebUi.service())
                .any(handler(exchange -> {
                    throw new Rejection(ErrorCode.NOT_FOUND, "no such endpoint: " + exchange.method() + " " + exchange.path());
                }));
        this.server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .routing(routing)
                .directHandlers(TransportErrors.handlers())
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    /** The API's routes as "METHOD /path/{param}", besides the web UI's files under {@code /}. */
    public List<String> routes() {
        return routes;
    }

    @FunctionalInterface
    interface Endpoint {
        Answer handle(Exchange exchange);
    }

    private io.helidon.webserver.http.Handler admin(Auth auth, Endpoint endpoint) {
        return handler(exchange -> {
            auth.requireAdmin(exchange);
            return endpoint.handle(exchange);
        });
    }

    private io.helidon.webserver.http.Handler handler(Endpoint endpoint) {
        return (ServerRequest req, ServerResponse res) -> {
            Answer answer = answer(endpoint, new Exchange(req, maxBodyBytes));
            res.status(Status.create(answer.status())).header(HeaderNames.CONTENT_TYPE, answer.contentType());
            if (answer.status() == 429) {
                res.header(HeaderNames.RETRY_AFTER, "1");
            }
            res.send(answer.body().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static Answer answer(Endpoint endpoint, Exchange exchange) {
        try {
            return endpoint.handle(exchange);
        } catch (Rejection rejection) {
            return Answer.error(rejection.code(), rejection.getMessage());
        } catch (Exchange.BodyTooLarge tooLarge) {
            return new Answer(413, Answer.error(ErrorCode.LIMIT_EXCEEDED, tooLarge.getMessage()).body());
        } catch (RequestException unreadableRequest) {
            throw unreadableRequest;
        } catch (StoreException storeFailure) {
            log.error("store failure on {} {}", exchange.method(), exchange.path(), storeFailure);
            return Answer.error(ErrorCode.UNAVAILABLE, "storage is unavailable; retry");
        } catch (RuntimeException bug) {
            log.error("unexpected failure on {} {}", exchange.method(), exchange.path(), bug);
            return new Answer(500, Answer.error(ErrorCode.UNAVAILABLE, "internal error").body());
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
