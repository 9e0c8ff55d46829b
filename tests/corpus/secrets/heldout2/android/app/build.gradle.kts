android {
    defaultConfig {
        applicationId = "com.shop.app"
        buildConfigField("String", "API_BASE", "\"https://api.shop.internal\"")
        buildConfigField("String", "PAYMENTS_SECRET", "\"b1aVj6DOIOUvXlHSzS5VIu8DCmkugxXV\"")
    }
    signingConfigs {
        create("release") {
            storeFile = file("release.jks")
            storePassword = System.getenv("KEYSTORE_PASSWORD")
            keyPassword = "s?!de__jFmfk+i3"
        }
    }
}
