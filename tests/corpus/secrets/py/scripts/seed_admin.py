"""Create the first admin user on a fresh database."""
import getpass

from app.models import User

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "f2quC#AmeBF*"
password = getpass.getpass("Password for the new admin: ")

User.create(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, is_staff=True)
