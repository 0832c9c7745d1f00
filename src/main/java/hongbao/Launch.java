package hongbao;

import hongbao.app.Secrets;

/**
 * The secrets a server starts with: given by configuration or generated once into the data directory, each refused
 * at start (one line naming it) when it is too short to be a secret.
 */
record Launch(String adminKey, String tokenSecret, String providerKey) {
    static Launch secrets(ServeConfig config) {
        String tokenSecret = Secrets.loadOrCreate(config.dataDir().resolve("token.secret"),
                "which also ends every user token issued so far").value();
        String providerKey = configured("HONGBAO_PAYMENT_KEY (--payment-key)", config.payments().providerKey());
        if (providerKey == null) {
            providerKey = Secrets.loadOrCreate(config.dataDir().resolve("payment.key"),
                    "or set HONGBAO_PAYMENT_KEY to the key your payment provider signs with").value();
        }
        // Last, so that a refusal of another key never comes after the one-time display of a generated admin key.
        String adminKey = configured("HONGBAO_ADMIN_KEY (--admin-key)", config.adminKey());
        if (adminKey == null) {
            var generated = Secrets.loadOrCreate(config.dataDir().resolve("admin.key"), "or set HONGBAO_ADMIN_KEY");
            if (generated.isNew()) {
                System.out.println("generated admin key (shown once; kept in " + config.dataDir().resolve("admin.key") + "): "
                        + generated.value());
            }
            adminKey = generated.value();
        }
        return new Launch(adminKey, tokenSecret, providerKey);
    }

    /** The configured key, or null when none is configured (then the data directory's file is used). */
    private static String configured(String setting, String value) {
        return value == null || value.isEmpty() ? null : Secrets.requireConfigured(setting, value);
    }

    /** The configuration with the provider key resolved, so the server never reads a key file itself. */
    ServeConfig applyTo(ServeConfig config) {
        ServeConfig.PaymentConfig payments = config.payments();
        return config.withPayments(new ServeConfig.PaymentConfig(providerKey, payments.providerSignType(),
                payments.timeout(), payments.secondPassDelay()));
    }
}
