// Imported first by the handler tests: keeps the handlers' structured logs out of the test output.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_REGION = 'eu-west-1';
// the DynamoDB-compatible server accepts any credentials; the SDK needs some
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
