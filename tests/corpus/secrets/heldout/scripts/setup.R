library(DBI)
Sys.setenv(DB_PASSWORD = "ap!d5C9I^NM#Mc0")
con <- dbConnect(RPostgres::Postgres(), host = "db.prod.internal", user = "analyst",
                 password = Sys.getenv("DB_PASSWORD"))
