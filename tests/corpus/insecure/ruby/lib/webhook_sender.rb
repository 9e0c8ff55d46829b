require "net/http"
require "openssl"
require "securerandom"
require "httparty"

class WebhookSender
  def deliver(url, event)
    uri = URI(url)
    Net::HTTP.start(uri.host, uri.port, use_ssl: true, verify_mode: OpenSSL::SSL::VERIFY_NONE) do |http|
      http.post(uri.path, event.to_json, "X-Signature" => sign(event))
    end
    Rails.logger.info "sent webhook #{event.id}"
  end

  def probe(url)
    HTTParty.get(url, verify: false)
  end

  def sign(event)
    Rails.logger.debug "signing with #{ENV['WEBHOOK_SECRET']}"
    OpenSSL::HMAC.hexdigest("SHA256", ENV.fetch("WEBHOOK_SECRET"), event.to_json)
  end

  def delivery_id
    SecureRandom.hex(16)
  end
end
