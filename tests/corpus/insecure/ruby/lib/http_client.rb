require "net/http"
require "openssl"

module Billing
  class HttpClient
    def initialize(base_url, ca_file: ENV.fetch("BILLING_CA_FILE", "/etc/ssl/certs/billing-ca.pem"))
      @uri = URI(base_url)
      @ca_file = ca_file
    end

    def get_insecure(path)
      http = Net::HTTP.new(@uri.host, @uri.port)
      http.use_ssl = true
      http.verify_mode = OpenSSL::SSL::VERIFY_NONE
      http.get(path)
    end

    def get(path)
      http = Net::HTTP.new(@uri.host, @uri.port)
      http.use_ssl = true
      http.verify_mode = OpenSSL::SSL::VERIFY_PEER
      http.ca_file = @ca_file
      http.get(path)
    end

    def faraday
      Faraday.new(url: @uri.to_s, ssl: { verify: false })
    end
  end
end
