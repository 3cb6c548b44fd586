// Imported first by the handler tests: keeps the handlers' structured logs out of the test output.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_REGION = 'eu-west-1';
