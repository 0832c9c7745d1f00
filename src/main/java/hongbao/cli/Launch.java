package hongbao.cli;

import hongbao.app.Secrets;
import hongbao.wiring.ServeConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets a server starts with: given by configuration or generated once into the data directory, each refused
 * at start (one line naming it) when it is too short to be a secret. Generated ones are written only once the server
 * has started ({@link #keepGenerated}): a refused start leaves no key file behind and prints no key.
 */
record Launch(String adminKey, String tokenSecret, String providerKey, List<Secrets.Generated> generated) {
    static Launch secrets(ServeConfig config) {
        List<Secrets.Generated> fromDataDir = new ArrayList<>();
        Secrets.Generated tokenSecret = Secrets.loadOrGenerate(config.dataDir().resolve("token.secret"),
                "which also ends every user token issued so far");
        fromDataDir.add(tokenSecret);
        String providerKey = configured("HONGBAO_PAYMENT_KEY (--payment-key)", config.payments().providerKey());
        if (providerKey == null) {
            Secrets.Generated fromFile = Secrets.loadOrGenerate(config.dataDir().resolve("payment.key"),
                    "or set HONGBAO_PAYMENT_KEY to the key your payment provider signs with");
            fromDataDir.add(fromFile);
            providerKey = fromFile.value();
        }
        String adminKey = configured("HONGBAO_ADMIN_KEY (--admin-key)", config.adminKey());
        if (adminKey == null) {
            Secrets.Generated fromFile = Secrets.loadOrGenerate(config.dataDir().resolve("admin.key"), "or set HONGBAO_ADMIN_KEY");
            fromDataDir.add(fromFile);
            adminKey = fromFile.value();
        }
        return new Launch(adminKey, tokenSecret.value(), providerKey, List.copyOf(fromDataDir));
    }

    /** The configured key, or null when none is configured (then the data directory's file is used). */
    private static String configured(String setting, String value) {
        return value == null || value.isEmpty() ? null : Secrets.requireConfigured(setting, value);
    }

    /** Writes the keys generated for this first start into the data directory; shows a generated admin key once. */
    void keepGenerated(PrintStream out) {
        for (Secrets.Generated secret : generated) {
            Secrets.keep(secret);
            if (secret.isNew() && secret.file().getFileName().toString().equals("admin.key")) {
                out.println("generated admin key (shown once; kept in " + secret.file() + "): " + secret.value());
            }
        }
    }

    /** The configuration with the provider key resolved, so the server never reads a key file itself. */
    ServeConfig applyTo(ServeConfig config) {
        ServeConfig.PaymentConfig payments = config.payments();
        return config.withPayments(new ServeConfig.PaymentConfig(providerKey, payments.providerSignType(),
                payments.timeout(), payments.secondPassDelay()));
    }
}
