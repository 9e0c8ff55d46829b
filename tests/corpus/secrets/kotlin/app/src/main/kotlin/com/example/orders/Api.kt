package com.example.orders

object Api {
    const val BASE_URL = "https://api.example.com/"
    const val MAPS_API_KEY = "AIzaXhD8iCxg4cJ9Sjo5AcuOIBnezuqsJy9Byp9"
    private val clientSecret = "hvAW6Tb3ZLde1wNGJbKK478Bi23igH420O5WLfsD"
    val passwordField = R.id.password
}
