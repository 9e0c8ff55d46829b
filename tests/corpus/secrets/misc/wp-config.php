<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', 'XqKFda6Zm6n9Igi' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '7uv&v)^f#(2m$^xbbqyr356*%b)(2s^*i_0x^tr-r7mi2057c6' );
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );
$table_prefix = 'wp_';
