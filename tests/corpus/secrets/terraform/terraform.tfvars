do_token        = "dop_v1_3f2e7163d34decc77e8a87f94a6d036261885d84d15eb87e26e1234edcb484f7"
vault_token     = "hvs.kXWxfgOXodk8frzfjAvAko8b"
environment     = "prod"
instance_count  = 3
