package hongbao;

/** The secrets a server starts with: given by configuration or generated once into the data directory. */
record Launch(String adminKey, String tokenSecret) {
    static Launch secrets(ServeConfig config) {
        String adminKey = config.adminKey();
        if (adminKey == null || adminKey.isBlank()) {
            var generated = hongbao.app.Secrets.loadOrCreate(config.dataDir().resolve("admin.key"));
            if (generated.isNew()) {
                System.out.println("generated admin key (shown once; kept in " + config.dataDir().resolve("admin.key") + "): "
                        + generated.value());
            }
            adminKey = generated.value();
        }
        String tokenSecret = hongbao.app.Secrets.loadOrCreate(config.dataDir().resolve("token.secret")).value();
        return new Launch(adminKey, tokenSecret);
    }
}
