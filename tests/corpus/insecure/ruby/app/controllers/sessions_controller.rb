class SessionsController < ApplicationController
  def create
    user = User.find_by(email: params[:email])
    Rails.logger.info("login attempt #{params[:email]} password=#{params[:password]}")
    Rails.logger.info("login attempt #{params[:email]}")
    if user&.authenticate(params[:password])
      session[:user_id] = user.id
      redirect_to root_path
    else
      render :new, status: :unprocessable_entity
    end
  end
end
