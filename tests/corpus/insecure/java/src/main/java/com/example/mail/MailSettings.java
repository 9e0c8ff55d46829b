package com.example.mail;

import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class MailSettings {
    private static final Logger log = LoggerFactory.getLogger(MailSettings.class);

    private final String host = System.getenv("SMTP_HOST");
    private final String user = System.getenv("SMTP_USER");
    private final String smtpPass = System.getenv("SMTP_PASS");

    public Properties load() {
        log.info("smtp host {} user {}", host, System.getenv("SMTP_USER"));
        log.info("smtp pass {}", System.getenv("SMTP_PASS"));
        log.info("SMTP_PASS set: {}", System.getenv("SMTP_PASS") != null);
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.user", user);
        props.put("mail.smtp.password", smtpPass);
        log.debug("smtp login {} / {}", user, smtpPass);
        return props;
    }

    public void connectDatabase(String url, String dbUser, String dbPass) {
        System.out.println("db user: " + dbUser);
        System.out.println("db pass: " + dbPass);
        if (dbPass == null || dbPass.isEmpty()) {
            throw new IllegalStateException("no database password for " + dbUser);
        }
        String redisPass = System.getenv("REDIS_PASS");
        if (!ping(redisPass)) {
            throw new IllegalStateException("redis auth failed with " + redisPass);
        }
    }

    public void migrate(int[] steps) {
        long start = System.nanoTime();
        long firstPass = 0;
        boolean bypass = Boolean.getBoolean("mail.bypassQueue");
        for (int i = 0; i < steps.length; i++) {
            log.info("pass {} of {}", i + 1, steps.length);
            if (i == 0) {
                firstPass = (System.nanoTime() - start) / 1_000_000;
            }
        }
        log.info("first pass took {} ms, bypass={}", firstPass, bypass);
    }

    private boolean ping(String password) {
        return password != null;
    }
}
