import datetime as dt

import jwt

JWT_SECRET = "h/VyYY33PfCj1Ffq7gFKAvxrhUUoOPnkY3TizpH3p5k="
JWT_ALGORITHM = "HS256"
# eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c
SERVICE_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtaXBkcWxiIiwicm9sZSI6IndvcmtlciIsImlhdCI6MTcwMzg3NzY1OCwiZXhwIjoxOTU5NTA0MDM3fQ.FAINEfEOGK0dSe9WXsMy_2TUFonQAQgeQcBj6GanyjI"


def issue(user_id: int) -> str:
    now = dt.datetime.now(dt.UTC)
    return jwt.encode({"sub": str(user_id), "iat": now, "exp": now + dt.timedelta(hours=1)}, JWT_SECRET, JWT_ALGORITHM)
