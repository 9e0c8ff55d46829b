using Azure.Storage.Blobs;

var blob = new BlobServiceClient("DefaultEndpointsProtocol=https;AccountName=ordersarchive;AccountKey=a8c3F6hJDFvbCeViVZ0eLzagWkd9nWYh9AWrhLhiJFWxqN4aMjHIznPF3puQ+bXbl3IZC/2r4wlIOTjOXrsVSQ==;EndpointSuffix=core.windows.net");
var emulator = new BlobServiceClient("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;");
var apiKey = Environment.GetEnvironmentVariable("ORDERS_API_KEY");
