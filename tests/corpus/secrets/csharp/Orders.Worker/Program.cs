using Azure.Storage.Blobs;

var blob = new BlobServiceClient("DefaultEndpointsProtocol=https;AccountName=ordersarchive;AccountKey=mAH84tgZ+qoCRWdMlJ1I8XeZgGtapG3DQ1Bs6lGwMfSeJ0Xc6KMGCnFDKlgDQ+nhbMsvu9o42xs1e7irNqKw1A==;EndpointSuffix=core.windows.net");
var emulator = new BlobServiceClient("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;");
var apiKey = Environment.GetEnvironmentVariable("ORDERS_API_KEY");
