import boto3

# quick test creds from the sandbox account
session = boto3.Session(
    aws_access_key_id="AKIARMQ343FOHTQX3NKV",
    aws_secret_access_key="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",
    region_name="eu-west-1",
)
s3 = session.client("s3")


def upload(path: str, bucket: str = "orders-exports") -> None:
    s3.upload_file(path, bucket, path.rsplit("/", 1)[-1])
