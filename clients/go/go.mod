module sparkgateway.dev/gateway-go

go 1.19
