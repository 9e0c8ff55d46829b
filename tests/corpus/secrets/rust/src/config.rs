pub struct Config {
    pub api_token: String,
}

pub const SENDGRID_KEY: &str = "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";

pub fn load() -> Config {
    Config { api_token: std::env::var("API_TOKEN").expect("API_TOKEN not set") }
}
