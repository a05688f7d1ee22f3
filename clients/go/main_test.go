package gateway_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	gateway "sparkgateway.dev/gateway-go"
)

// gatewayURL is the gateway the smoke, e2e and load suites and the examples run against.
var gatewayURL = os.Getenv("GATEWAY_URL")

// TestMain runs only the unit tests when no gateway is given: the examples print what a real
// gateway answers, so without one they are compiled but not run (unless -run asks for them).
func TestMain(m *testing.M) {
	flag.Parse()
	if gatewayURL == "" {
		if flag.Lookup("test.run").Value.String() == "" {
			_ = flag.Set("test.run", "^Test")
		}
		fmt.Fprintln(os.Stderr, "GATEWAY_URL is not set: unit tests only; smoke, e2e, load and examples need a running gateway (GATEWAY_URL=http://localhost:8080)")
	}
	os.Exit(m.Run())
}

// live returns a client for GATEWAY_URL or skips the test.
func live(t testing.TB, opts ...gateway.Option) *gateway.Client {
	t.Helper()
	if gatewayURL == "" {
		t.Skip("GATEWAY_URL is not set: skipping (needs a gateway and Spark)")
	}
	c, err := gateway.New(gatewayURL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// exampleClient is the client of the examples.
func exampleClient() *gateway.Client {
	c, err := gateway.New(gatewayURL)
	if err != nil {
		panic(err)
	}
	return c
}
