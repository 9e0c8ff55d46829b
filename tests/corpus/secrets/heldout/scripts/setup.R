library(DBI)
Sys.setenv(DB_PASSWORD = "fJMP17=pYnRKgjq7b")
con <- dbConnect(RPostgres::Postgres(), host = "db.prod.internal", user = "analyst",
                 password = Sys.getenv("DB_PASSWORD"))
