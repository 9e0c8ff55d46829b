<?php

namespace App;

final class Db
{
    public static function connect(): \PDO
    {
        $password = getenv('DB_PASSWORD') ?: 'OGtyNoz!aJsc?D_@O2';
        return new \PDO('mysql:host=db.internal;dbname=orders', 'orders_app', $password);
    }

    public static function hash(string $password): string
    {
        return password_hash($password, PASSWORD_ARGON2ID);
    }
}
