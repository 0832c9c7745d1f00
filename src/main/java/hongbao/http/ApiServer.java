package hongbao.http;

import hongbao.cluster.SetOwnership;
import hongbao.app.AccountService;
import hongbao.app.MerchantServices;
import hongbao.app.PacketService;
import hongbao.app.RecordService;
import hongbao.app.PaymentService;
import hongbao.app.TokenService;
import hongbao.app.UserEvents;
import hongbao.events.WebhookDelivery;
import hongbao.domain.ErrorCode;
import hongbao.domain.Limits;
import hongbao.domain.Rejection;
import hongbao.store.CommitOutcomeUnknown;
import hongbao.store.DatabaseBehind;
import hongbao.store.NotOwnedHere;
import hongbao.store.StoreSets;
import hongbao.store.StoreException;
import hongbao.wxpay.SignType;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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
    /** How long a stop waits for requests already being served, such as an open waiting for its group commit. */
    private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(10);
    /** A stream refused for want of a slot: long enough that its clients do not all come straight back. */
    private static final int STREAM_RETRY_AFTER_SECONDS = 10;

    private final int maxBodyBytes;
    private final OwnerForwarding forwarding;
    private volatile boolean draining;
    private final List<String> routes;
    private final EventEndpoints events;

    /**
     * @param providerKey the key payment notifications are signed with, and {@code providerSignType} how
     * @param limits      told to clients (GET /v1/config), like {@code packetTtl}; the services enforce them
     */
    public record Settings(String host, int port, int maxBodyBytes, String adminKey, String providerKey,
            SignType providerSignType, boolean devLogin, Limits limits, Duration packetTtl, int maxEventStreams) {
    }

    public ApiServer(Settings settings, StoreSets sets, AccountService accounts, PacketService packets,
            RecordService records, PaymentService payments, MerchantServices merchants, TokenService tokens, BooleanSupplier ready,
            Supplier<String> metrics, OperatorSummary operatorSummary, java.util.function.IntConsumer passedOn,
            UserEvents userEvents, WebhookDelivery webhooks) {
        this.maxBodyBytes = settings.maxBodyBytes();
        this.forwarding = new OwnerForwarding(SetOwnership.of(sets), passedOn);
        Auth auth = new Auth(settings.adminKey(), tokens);
        IdempotencyGuard idempotency = new IdempotencyGuard(sets);
        AdminEndpoints admin = new AdminEndpoints(accounts, tokens, idempotency, operatorSummary);
        UserEndpoints user = new UserEndpoints(auth, accounts, packets, records, idempotency);
        PaymentEndpoints payment = new PaymentEndpoints(auth, payments, packets, settings.providerKey(),
                settings.providerSignType());
        DevLoginEndpoints devLogin = new DevLoginEndpoints(settings.devLogin(), accounts, tokens);
        ClientConfigEndpoint clientConfig = new ClientConfigEndpoint(devLogin, settings.limits(),
                settings.packetTtl());
        MerchantEndpoints merchant = new MerchantEndpoints(merchants.directory(), merchants.redpacks());
        MerchantAdminEndpoints merchantAdmin = new MerchantAdminEndpoints(merchants.accounts(), merchants.campaigns(),
                accounts);
        this.events = new EventEndpoints(auth, userEvents, settings.maxEventStreams() > 0
                ? new StreamSlots(settings.maxEventStreams()) : StreamSlots.forThisProcess());
        WebhookAdminEndpoints webhookAdmin = new WebhookAdminEndpoints(webhooks);
        Answer openApi = OpenApiDocument.load();
        // The storm's two calls first: the routing tries the routes in order, each path with a parameter by a regular
        // expression, and no other route matches their paths.
        Routes routes = new Routes()
                .post("/v1/packets/{id}/grab", handler(user::grab))
                .post("/v1/packets/{id}/open", handler(user::open))
                .post("/v1/admin/users", admin(auth, admin::createUser))
                .post("/v1/admin/user-batches", admin(auth, admin::createUsers))
                .post("/v1/admin/users/{userId}/tokens", admin(auth, admin::issueToken))
                .post("/v1/admin/users/{userId}/deposits", admin(auth, admin::deposit))
                .post("/v1/admin/users/{userId}/withdrawals", admin(auth, admin::withdraw))
                .post("/v1/admin/groups", admin(auth, admin::createGroup))
                .post("/v1/admin/groups/{groupId}/members", admin(auth, admin::addMembers))
                .delete("/v1/admin/groups/{groupId}/members/{userId}", admin(auth, admin::removeMember))
                .get("/v1/admin/audit", admin(auth, admin::audit))
                .get("/v1/admin/payments/refunds-due", admin(auth, payment::refundsDue))
                .get("/v1/admin/summary", admin(auth, admin::summary))
                .get("/v1/admin/webhooks", admin(auth, webhookAdmin::progress))
                .post("/v1/admin/webhooks/replay", admin(auth, webhookAdmin::replay))
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
                .get("/v1/packets", handler(user::records))
                .post("/v1/packets", handler(user::send))
                .get("/v1/packets/{id}", handler(user::view))
                .post("/v1/packets/{id}/share", handler(user::share))
                .get("/v1/groups/{groupId}/packets", handler(user::groupPackets))
                .get("/v1/inbox", handler(user::inbox))
                .get("/v1/chats/{userId}/packets", handler(user::chatPackets))
                .get("/v1/events", handler(events::catchUp))
                .get("/v1/events/stream", stream(events::openStream))
                .post("/v1/packets/{id}/payment/client-confirm", handler(payment::clientConfirm))
                .post("/v1/payments/notify", handler(payment::notify,
                        Math.max(maxBodyBytes, PaymentEndpoints.NOTIFICATION_BODY_BYTES)))
                .get("/health", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"status\":\"UP\"}"))
                .get("/ready", (req, res) -> {
                    String status = draining ? "DRAINING" : ready.getAsBoolean() ? "READY" : "NOT_READY";
                    res.status("READY".equals(status) ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send("{\"status\":\"" + status + "\"}");
                })
                .get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4")
                        .send(metrics.get()))
                .get("/openapi.json", handler(exchange -> openApi));
        this.routes = routes.registered();
        HttpRouting.Builder routing = routes.routing()
                .addFilter(new AccessLog())
                .addFilter(new ConnectionClosing())
                .register("/", WebUi.service())
                .any(handler(exchange -> {
                    throw new Rejection(ErrorCode.NOT_FOUND, "no such endpoint: " + exchange.method() + " " + exchange.path());
                }));
        this.server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .routing(routing)
                .directHandlers(TransportErrors.handlers())
                .shutdownGracePeriod(IN_FLIGHT_GRACE)
                .build()
                .start();
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            throw new ListenFailure(settings.host(), settings.port());
        }
    }

    /**
     * The server could not listen. Helidon reports its bind failure only to its log (silenced in logback.xml) and
     * starts without a listener, so the reason is found by binding the address once more.
     */
    public static final class ListenFailure extends RuntimeException {
        ListenFailure(String host, int port) {
            super("cannot listen on " + host + ":" + port + ": " + bindProblem(host, port));
        }

        private static String bindProblem(String host, int port) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress(host, port));
                return "the web server did not start, though the address is free now";
            } catch (java.io.IOException bindFailure) {
                return bindFailure.getMessage();
            }
        }
    }

    /**
     * Starts the drain before a stop: {@code /ready} answers 503 {@code DRAINING} so that a proxy routes elsewhere,
     * and every answer closes its connection; requests keep being served until {@link #close}.
     */
    public void drain() {
        draining = true;
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
        return handler(endpoint, maxBodyBytes);
    }

    private io.helidon.webserver.http.Handler handler(Endpoint endpoint, int bodyCap) {
        return (ServerRequest req, ServerResponse res) -> {
            Exchange exchange = new Exchange(req, bodyCap);
            Answer answer = answer(endpoint, exchange);
            res.status(Status.create(answer.status())).header(HeaderNames.CONTENT_TYPE, answer.contentType());
            if (answer.status() == 429 || answer.status() == 503) {
                res.header(HeaderNames.RETRY_AFTER, "1");
            }
            if (!exchange.finishBody() || draining) {
                // The body's framing is broken: rather than read on (and maybe wait for bytes that never come), the
                // connection ends with this answer (ConnectionClosing). While draining, every connection ends after
                // its next answer, so that no client sends another request on it as the server stops.
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            res.send(answer.body().getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * A Server-Sent Events stream: opened like any endpoint (a refusal is its JSON error), then run on the request's
     * own (virtual) thread until the client leaves or the server stops.
     */
    private io.helidon.webserver.http.Handler stream(java.util.function.Function<Exchange, EventEndpoints.Stream> opener) {
        return (ServerRequest req, ServerResponse res) -> {
            Exchange exchange = new Exchange(req, maxBodyBytes);
            EventEndpoints.Stream[] opened = new EventEndpoints.Stream[1];
            Answer refusal = answer(e -> {
                opened[0] = opener.apply(e);
                return null;
            }, exchange);
            if (refusal != null) {
                res.status(Status.create(refusal.status())).header(HeaderNames.CONTENT_TYPE, refusal.contentType());
                if (refusal.status() == 503) {
                    res.header(HeaderNames.RETRY_AFTER, String.valueOf(STREAM_RETRY_AFTER_SECONDS));
                }
                res.send(refusal.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            opened[0].run(res);
        };
    }

    /** The endpoint's answer; a refusal's error code is also left in the request's context for the access log. */
    private Answer answer(Endpoint endpoint, Exchange exchange) {
        try {
            return endpoint.handle(exchange);
        } catch (NotOwnedHere elsewhere) {
            // Passing it on reads the body, which may be refused like any other read of it.
            return answer(passedOn -> forwarding.forward(passedOn, elsewhere.set()), exchange);
        } catch (Rejection rejection) {
            exchange.recordRefusal(rejection.code());
            return Answer.error(rejection.code(), rejection.getMessage(), rejection.details());
        } catch (Exchange.BodyTooLarge tooLarge) {
            return refused(exchange, ErrorCode.LIMIT_EXCEEDED, 413, tooLarge.getMessage());
        } catch (Exchange.BodyUnreadable unreadable) {
            return refused(exchange, ErrorCode.INVALID_REQUEST, Answer.statusOf(ErrorCode.INVALID_REQUEST),
                    unreadable.getMessage());
        } catch (CommitOutcomeUnknown unknown) {
            log.error("outcome unknown on {} {}", exchange.method(), exchange.path(), unknown);
            if ("GET".equals(exchange.method()) || "HEAD".equals(exchange.method())) {
                return refused(exchange, ErrorCode.UNAVAILABLE, Answer.statusOf(ErrorCode.UNAVAILABLE),
                        "storage is unavailable; retry");
            }
            return refused(exchange, ErrorCode.OUTCOME_UNKNOWN, Answer.statusOf(ErrorCode.OUTCOME_UNKNOWN),
                    "the database's answer to the commit was lost: the request may have been applied; learn its outcome "
                            + "(Idempotency-Key, reference, GET) before retrying");
        } catch (DatabaseBehind wentBack) {
            // Logged once, by the store that found it.
            return refused(exchange, ErrorCode.SET_DATABASE_BEHIND, Answer.statusOf(ErrorCode.SET_DATABASE_BEHIND),
                    "this SET's " + wentBack.getMessage() + "; nothing was applied");
        } catch (StoreException storeFailure) {
            log.error("store failure on {} {}", exchange.method(), exchange.path(), storeFailure);
            return refused(exchange, ErrorCode.UNAVAILABLE, Answer.statusOf(ErrorCode.UNAVAILABLE),
                    "storage is unavailable; retry");
        } catch (RuntimeException bug) {
            log.error("unexpected failure on {} {}", exchange.method(), exchange.path(), bug);
            return refused(exchange, ErrorCode.UNAVAILABLE, 500, "internal error");
        }
    }

    private static Answer refused(Exchange exchange, ErrorCode code, int status, String message) {
        exchange.recordRefusal(code);
        return new Answer(status, Answer.error(code, message).body());
    }

    @Override
    public void close() {
        events.stop();
        server.stop();
    }
}
