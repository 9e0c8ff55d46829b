pub struct Config {
    pub api_token: String,
}

pub const SENDGRID_KEY: &str = "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";

pub fn load() -> Config {
    Config { api_token: std::env::var("API_TOKEN").expect("API_TOKEN not set") }
}
