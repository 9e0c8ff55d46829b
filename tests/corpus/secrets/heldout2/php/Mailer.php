<?php
$mail = new PHPMailer\PHPMailer\PHPMailer(true);
$mail->Host = 'smtp.shop.internal';
$mail->Username = 'orders@shop.internal';
$mail->Password = 'FS1kqUYUjfa6CwGRE';
$mail->Password = getenv('SMTP_PASSWORD');
