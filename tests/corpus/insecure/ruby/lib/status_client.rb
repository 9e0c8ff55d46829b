require "httparty"

class StatusClient
  include HTTParty
  base_uri ENV.fetch("STATUS_API_URL", "https://status.internal.example.com")
  default_timeout 5

  def self.ping
    get("/ping", verify: false)
  end

  def self.components
    get("/components", verify: true, headers: { "Accept" => "application/json" })
  end

  def self.incidents
    get("/incidents", verify: ENV.fetch("STATUS_VERIFY_TLS", "true") == "true")
  end
end

class LegacyStatusClient
  include HTTParty
  base_uri "https://legacy-status.example.com"
  default_options.update(verify: false)

  def self.summary
    get("/summary")
  end
end

module Badges
  def self.fetch(url)
    HTTParty.get(url, verify: false, timeout: 3)
  end

  def self.check(payload)
    BadgeSchema.validate(payload, verify: false)
  end
end
