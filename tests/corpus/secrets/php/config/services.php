<?php

return [
    'mailgun' => [
        'domain' => env('MAILGUN_DOMAIN'),
        'secret' => env('MAILGUN_SECRET', 'ce340dd7b1f76cdd75f671c980041881-9ccb5c7c-33f24968'),
        'endpoint' => env('MAILGUN_ENDPOINT', 'api.eu.mailgun.net'),
    ],
    'postmark' => [
        'token' => env('POSTMARK_TOKEN'),
    ],
    'stripe' => [
        'key' => env('STRIPE_KEY'),
        'secret' => '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',
    ],
];
