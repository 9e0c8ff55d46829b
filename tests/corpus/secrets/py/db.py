import os

from sqlalchemy import create_engine

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://orders:IuVbtJUbufuezwIRXA@db.internal:5432/orders")
REPLICA_URL = "postgresql://orders_ro@replica.internal:5432/orders"
LOCAL_URL = "postgresql://postgres:postgres@localhost:5432/orders_test"

engine = create_engine(DATABASE_URL, pool_pre_ping=True)
