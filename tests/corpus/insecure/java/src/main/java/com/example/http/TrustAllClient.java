package com.example.http;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public final class TrustAllClient {

    private TrustAllClient() {}

    public static HttpClient create() throws Exception {
        TrustManager[] trustAll = new TrustManager[] {
            new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustAll, new SecureRandom());
        HostnameVerifier allHosts = (hostname, session) -> true;
        HttpsURLConnection.setDefaultHostnameVerifier(allHosts);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    public static HttpClient createDefault() throws Exception {
        SSLContext ctx = SSLContext.getDefault();
        return HttpClient.newBuilder().sslContext(ctx).build();
    }
}
