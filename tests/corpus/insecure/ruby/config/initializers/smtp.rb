Rails.application.configure do
  config.action_mailer.delivery_method = :smtp
  config.action_mailer.smtp_settings = {
    address: ENV.fetch("SMTP_HOST"),
    port: 587,
    user_name: ENV.fetch("SMTP_USER"),
    password: ENV.fetch("SMTP_PASS"),
    authentication: :login,
  }
end

Rails.logger.info "SMTP configured for #{ENV.fetch('SMTP_USER')}"
Rails.logger.debug "SMTP login #{ENV.fetch('SMTP_USER')} / #{ENV.fetch('SMTP_PASS')}"
