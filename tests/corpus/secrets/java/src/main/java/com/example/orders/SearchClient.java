package com.example.orders;

import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

public final class SearchClient {
    public static RestClient create() {
        return RestClient.builder(new HttpHost("search.internal", 9200, "https"))
            .setDefaultHeaders(new org.apache.http.Header[] {
                new org.apache.http.message.BasicHeader("Authorization", "ApiKey xiE/vPumnzA1LQbhdGhkFKtIzcz+GtP4n6T/CMmZsja9HMIiixQIv7Hz3/RaciLT")
            })
            .build();
    }

    private static final String PASSWORD_REGEX = "^(?=.*[A-Z])(?=.*\\d).{12,}$";
}
