import logging
import os

import boto3

logger = logging.getLogger("worker")

aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]
db_password = os.environ["DB_PASSWORD"]


def main() -> None:
    print(f"connecting with password={db_password}")
    logger.info("starting worker, region=%s", os.environ.get("AWS_REGION"))
    try:
        boto3.client("sqs", aws_secret_access_key=aws_secret_access_key)
    except Exception as exc:
        raise RuntimeError(f"SQS connect failed with key {aws_secret_access_key}") from exc
    print("password length ok:", len(db_password) >= 12)


if __name__ == "__main__":
    main()
