package com.example.orders

object Api {
    const val BASE_URL = "https://api.example.com/"
    const val MAPS_API_KEY = "AIzagiy9idpHuUQUSIjloB-YuI870A1ag03uC45"
    private val clientSecret = "KpIlRpPjfU6IRPHt2F5uod3jO7v59EizibhF2kyx"
    val passwordField = R.id.password
}
