class User < ApplicationRecord
  has_secure_password
  validates :password, length: { minimum: 12 }, allow_nil: true

  def self.api_token_for(user)
    user.regenerate_api_token
  end

  def reset_password_token_expired?
    reset_password_sent_at < 2.hours.ago
  end
end
