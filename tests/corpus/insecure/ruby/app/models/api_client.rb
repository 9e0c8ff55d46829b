class ApiClient
  def initialize(api_token: ENV.fetch("PARTNER_API_TOKEN"))
    @api_token = api_token
  end

  def call(path)
    puts "calling #{path} with token #{@api_token}"
    puts "calling #{path}"
    ctx = OpenSSL::SSL::SSLContext.new
    ctx.verify_mode = OpenSSL::SSL::VERIFY_PEER
    raise ArgumentError, "bad token #{@api_token}" if @api_token.empty?
  end
end
