import { S3Client } from "@aws-sdk/client-s3";

export const s3 = new S3Client({
  region: "us-east-1",
  credentials: {
    accessKeyId: "AKIACMKIJRM6NMH6HV2B",
    secretAccessKey: "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",
    sessionToken: undefined,
  },
});
