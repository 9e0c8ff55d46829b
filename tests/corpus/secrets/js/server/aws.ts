import { S3Client } from "@aws-sdk/client-s3";

export const s3 = new S3Client({
  region: "us-east-1",
  credentials: {
    accessKeyId: "AKIAXED5T7LAYWTOAHEO",
    secretAccessKey: "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",
    sessionToken: undefined,
  },
});
