package hongbao.testing;

import ch.qos.logback.classic.Level;
import com.github.binarywang.wxpay.config.WxPayConfig;
import com.github.binarywang.wxpay.service.WxPayService;
import com.github.binarywang.wxpay.service.impl.WxPayServiceImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * WxJava (com.github.binarywang:weixin-java-pay), a widely used WeChat Pay v2 client, unmodified: configured as a
 * merchant configures it, only its base URL pointing at a test server instead of api.mch.weixin.qq.com.
 */
public final class WxJava {
    static {
        // It logs every request and answer at INFO and every refusal at ERROR; the tests assert on its results instead.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.github.binarywang")).setLevel(Level.OFF);
    }

    private WxJava() {
    }

    /**
     * A client for merchant {@code mchId}, signing with {@code key} as {@code signType} says (WxJava's values, "MD5" or
     * "HMAC-SHA256"; null leaves it unset, WxJava's default: MD5 without a sign_type field). Red packet calls present the merchant's client certificate, so WxJava needs one: a PKCS12 store
     * whose password is the mch_id, as WeChat issues them. Over plain HTTP it is loaded but never sent.
     */
    public static WxPayService client(String baseUrl, String mchId, String appId, String key, String signType) {
        WxPayConfig config = new WxPayConfig();
        config.setPayBaseUrl(baseUrl);
        config.setMchId(mchId);
        config.setAppId(appId);
        config.setMchKey(key);
        config.setSignType(signType);
        config.setKeyContent(clientCertificate(mchId));
        WxPayService service = new WxPayServiceImpl();
        service.setConfig(config);
        return service;
    }

    /** A fresh apiclient_cert.p12 for the merchant, made with the JDK's keytool. */
    private static byte[] clientCertificate(String mchId) {
        try {
            Path dir = Files.createTempDirectory("hongbao-apiclient");
            Path store = dir.resolve("apiclient_cert.p12");
            Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "apiclient", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + mchId, "-validity", "1", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", mchId, "-keypass", mchId)).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            byte[] bytes = Files.readAllBytes(store);
            Files.delete(store);
            Files.delete(dir);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
