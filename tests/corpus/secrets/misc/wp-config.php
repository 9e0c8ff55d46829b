<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', 'KHtps5LyhXZrl' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '4_(!f**!($9#*92l*$l^p8*gkw$=2_ubw*v!0g@y@=*ubue2c8' );
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );
$table_prefix = 'wp_';
