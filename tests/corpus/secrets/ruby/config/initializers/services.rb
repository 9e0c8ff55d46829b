Rails.application.configure do
  config.x.shopify_token = "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"
  config.x.shopify_shared_secret = ENV.fetch("SHOPIFY_SHARED_SECRET", "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")
  config.x.mailgun_key = ENV["MAILGUN_API_KEY"]
end

Sidekiq.configure_server do |config|
  config.redis = { url: "redis://:MHrsQdYmXwwFDoAv311@redis.internal:6379/1" }
end
