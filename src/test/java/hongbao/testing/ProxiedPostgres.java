package hongbao.testing;

import java.net.URI;

/** A fresh PostgreSQL database reached through a {@link TcpProxy}, so that a test can cut it off. */
public record ProxiedPostgres(String url, TcpProxy proxy) implements AutoCloseable {
    /** Statements go as text every time, so that the proxy can see which one a connection sends. */
    public static ProxiedPostgres fresh() {
        URI direct = URI.create(TestStores.freshPostgresUrl());
        TcpProxy proxy = TcpProxy.to(direct.getHost(), direct.getPort() < 0 ? 5432 : direct.getPort());
        String userInfo = direct.getRawUserInfo() == null ? "" : direct.getRawUserInfo() + "@";
        return new ProxiedPostgres(direct.getScheme() + "://" + userInfo + "127.0.0.1:" + proxy.port()
                + direct.getRawPath() + "?prepareThreshold=0", proxy);
    }

    @Override
    public void close() {
        proxy.close();
    }
}
