do_token        = "dop_v1_3f2e7163d34decc77e8a87f94a6d036261885d84d15eb87e26e1234edcb484f7"
vault_token     = "hvs.CAESIvUknCgulIZks1Q1vDcgbRs2n1s2-HlKXpJE0Ui1UXM1pRyOqjb2VkaokRtZDWH9WKc-bMTP1mBBxMAF1reOyG1"
environment     = "prod"
instance_count  = 3
