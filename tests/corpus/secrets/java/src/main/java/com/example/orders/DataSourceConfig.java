package com.example.orders;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class DataSourceConfig {

    private static final String DB_PASSWORD = "K#1lu1xz#1B4l=";

    @Value("${payments.api-key:e8Azz7CFWiO2Inv1ZfuvShwj8YxEUoLb}")
    private String paymentsApiKey;

    @Value("${mail.password}")
    private String mailPassword;

    @Bean
    public HikariDataSource dataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:postgresql://db.internal:5432/orders");
        ds.setUsername("orders_app");
        ds.setPassword(DB_PASSWORD);
        return ds;
    }
}
