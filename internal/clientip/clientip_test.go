package clientip

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var (
	secret = []byte("rahasia-serikat-yang-panjang-sekali")
	now    = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
)

func prefixes(t testing.TB, s ...string) []netip.Prefix {
	t.Helper()
	ps, err := ParsePrefixes(s)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func request(remote string, header http.Header) *http.Request {
	r := httptest.NewRequest("POST", "/api/join", nil)
	r.RemoteAddr = remote
	for k, vs := range header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return r
}

func TestAddrForwardedFor(t *testing.T) {
	r := New(Options{TrustedProxies: prefixes(t, "10.0.0.0/8", "2001:db8:ffff::/48", "192.0.2.1")})
	xff := func(vs ...string) http.Header { return http.Header{"X-Forwarded-For": vs} }
	for _, tc := range []struct {
		name   string
		remote string
		header http.Header
		want   string
	}{
		{"no header", "198.51.100.7:5000", nil, "198.51.100.7"},
		{"untrusted peer, forged header ignored", "198.51.100.7:5000", xff("203.0.113.9"), "198.51.100.7"},
		{"untrusted peer, forged Netlify address ignored", "198.51.100.7:5000",
			http.Header{"X-Nf-Client-Connection-Ip": {"203.0.113.9"}}, "198.51.100.7"},
		{"trusted peer, no header", "10.0.0.2:5000", nil, "10.0.0.2"},
		{"trusted peer, one hop", "10.0.0.2:5000", xff("198.51.100.7"), "198.51.100.7"},
		{"trusted peer, spoofed then client then trusted hop", "10.0.0.2:5000",
			xff("203.0.113.9, 198.51.100.7, 10.0.0.5"), "198.51.100.7"},
		{"bare trusted address", "192.0.2.1:443", xff("203.0.113.9, 198.51.100.7"), "198.51.100.7"},
		{"next to a trusted address is not trusted", "192.0.2.2:443", xff("203.0.113.9"), "192.0.2.2"},
		{"several header lines are one list", "10.0.0.2:5000",
			xff("203.0.113.9", "198.51.100.7, 10.1.1.1"), "198.51.100.7"},
		{"garbage entries skipped", "10.0.0.2:5000",
			xff("203.0.113.9, 198.51.100.7,unknown, ,,  999.1.1.1 , _hidden"), "198.51.100.7"},
		{"entry with port", "10.0.0.2:5000", xff("198.51.100.7:41234"), "198.51.100.7"},
		{"bracketed IPv6 with port", "10.0.0.2:5000", xff("[2001:db8:1::7]:41234"), "2001:db8:1::7"},
		{"all trusted gives the peer", "10.0.0.2:5000", xff("10.9.9.9, 10.0.0.5"), "10.0.0.2"},
		{"all garbage gives the peer", "10.0.0.2:5000", xff("nope, also nope"), "10.0.0.2"},
		{"IPv6 peer untrusted", "[2001:db8:1::7]:5000", xff("203.0.113.9"), "2001:db8:1::7"},
		{"IPv6 proxy trusted", "[2001:db8:ffff::2]:5000", xff("2001:db8:1::7, 2001:db8:ffff::9"), "2001:db8:1::7"},
		{"4in6 peer is unmapped and trusted", "[::ffff:10.0.0.2]:5000", xff("198.51.100.7"), "198.51.100.7"},
		{"4in6 entry is unmapped", "10.0.0.2:5000", xff("::ffff:198.51.100.7"), "198.51.100.7"},
		{"4in6 trusted entry is skipped", "10.0.0.2:5000", xff("198.51.100.7, ::ffff:10.3.3.3"), "198.51.100.7"},
		{"zone dropped", "10.0.0.2:5000", xff("fe80::1%eth0"), "fe80::1"},
		{"Unix socket peer", "@", xff("203.0.113.9"), "::"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Addr(request(tc.remote, tc.header))
			if got.String() != tc.want {
				t.Errorf("Addr = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestZeroOptionsTrustNobody(t *testing.T) {
	req := request("198.51.100.7:1", http.Header{
		"X-Forwarded-For":           {"203.0.113.9"},
		"X-Nf-Client-Connection-Ip": {"203.0.113.9"},
		"X-Nf-Sign":                 {sign(t, jwt.SigningMethodHS256, secret, validClaims())},
	})
	if got := New(Options{}).Addr(req); got.String() != "198.51.100.7" {
		t.Errorf("Addr = %v, want the peer", got)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes([]string{" 10.1.2.3/8", "192.0.2.1", "2001:db8::1", "2001:db8::/32", "", "::ffff:10.0.0.0/104"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.1/32", "2001:db8::1/128", "2001:db8::/32", "10.0.0.0/8"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ParsePrefixes = %v, want %v", got, want)
	}

	_, err = ParsePrefixes([]string{"10.0.0.0/8", "10.0.0.300", "10.0.0.0/33", "fe80::1%eth0"})
	if err == nil {
		t.Fatal("no error for bad entries")
	}
	for _, bad := range []string{`"10.0.0.300"`, `"10.0.0.0/33"`, `"fe80::1%eth0"`} {
		if !strings.Contains(err.Error(), bad) {
			t.Errorf("error %q does not name %s", err, bad)
		}
	}
	if strings.Contains(err.Error(), `"10.0.0.0/8"`) {
		t.Errorf("error %q names a good entry", err)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"198.51.100.7":         "198.51.100.7",
		"::ffff:198.51.100.7":  "198.51.100.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"::":                   "::/64",
	} {
		if got := Key(netip.MustParseAddr(in)); got != want {
			t.Errorf("Key(%s) = %q, want %q", in, got, want)
		}
	}
}

func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":            "netlify",
		"exp":            now.Add(5 * time.Minute).Unix(),
		"deploy_context": "production",
		"netlify_id":     "c0ffee",
		"site_url":       "https://serikat.example.org",
	}
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	if v == nil {
		delete(c, k)
	} else {
		c[k] = v
	}
	return c
}

func sign(t testing.TB, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tamper replaces a valid token's payload, keeping its signature.
func tamper(t testing.TB, token string, c jwt.MapClaims) string {
	other := strings.Split(sign(t, jwt.SigningMethodHS256, []byte("x"), c), ".")
	parts := strings.Split(token, ".")
	parts[1] = other[1]
	return strings.Join(parts, ".")
}

func TestAddrNetlifySignature(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	valid := sign(t, jwt.SigningMethodHS256, secret, validClaims())
	none := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, validClaims())
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"iss":"netlify","exp":%d}`, now.Add(time.Minute).Unix())))

	const client, peer = "203.0.113.9", "198.51.100.7"
	for _, tc := range []struct {
		name  string
		sign  []string
		ip    []string
		trust bool
	}{
		{"valid", []string{valid}, []string{client}, true},
		{"valid with port and spaces", []string{" " + valid + " "}, []string{client + ":443"}, true},
		{"valid, IPv6 client", []string{valid}, []string{"2001:db8:1::9"}, true},
		{"expired within leeway", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", now.Add(-20*time.Second).Unix()))}, []string{client}, true},

		{"no signature", nil, []string{client}, false},
		{"valid, no address", []string{valid}, nil, false},
		{"valid, garbage address", []string{valid}, []string{"unknown"}, false},
		{"valid, two addresses", []string{valid}, []string{"192.0.2.50", client}, false},
		{"two signatures", []string{valid, valid}, []string{client}, false},
		{"wrong secret", []string{sign(t, jwt.SigningMethodHS256, []byte("tebakan"), validClaims())}, []string{client}, false},
		{"empty secret", []string{sign(t, jwt.SigningMethodHS256, []byte{}, validClaims())}, []string{client}, false},
		{"alg none", []string{none}, []string{client}, false},
		{"alg none, header claims HS256, no signature", []string{header + "." + payload + "."}, []string{client}, false},
		{"HS512 with the right secret", []string{sign(t, jwt.SigningMethodHS512, secret, validClaims())}, []string{client}, false},
		{"HS384 with the right secret", []string{sign(t, jwt.SigningMethodHS384, secret, validClaims())}, []string{client}, false},
		{"RS256", []string{sign(t, jwt.SigningMethodRS256, rsaKey, validClaims())}, []string{client}, false},
		{"expired", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", now.Add(-time.Minute).Unix()))}, []string{client}, false},
		{"wrong issuer", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iss", "netIify"))}, []string{client}, false},
		{"no issuer", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iss", nil))}, []string{client}, false},
		{"no exp", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", nil))}, []string{client}, false},
		{"exp not a number", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", "tomorrow"))}, []string{client}, false},
		{"not yet valid", []string{sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "nbf", now.Add(time.Hour).Unix()))}, []string{client}, false},
		{"tampered payload", []string{tamper(t, valid, with(validClaims(), "exp", now.Add(time.Hour).Unix()))}, []string{client}, false},
		{"truncated signature", []string{valid[:len(valid)-4]}, []string{client}, false},
		{"garbage", []string{"bukan.token.jwt"}, []string{client}, false},
		{"empty", []string{""}, []string{client}, false},
		{"huge", []string{strings.Repeat("A", 1<<20)}, []string{client}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(Options{NetlifySecret: secret, Now: func() time.Time { return now }})
			h := http.Header{}
			for _, v := range tc.sign {
				h.Add("X-Nf-Sign", v)
			}
			for _, v := range tc.ip {
				h.Add("X-Nf-Client-Connection-Ip", v)
			}
			got := r.Addr(request(peer+":5000", h)).String()
			want := peer
			if tc.trust {
				want = strings.TrimSuffix(strings.TrimSpace(tc.ip[0]), ":443")
			}
			if got != want {
				t.Errorf("Addr = %v, want %v", got, want)
			}
		})
	}
}

// A valid signature is checked against the clock: the same token is
// believed now and not ten minutes later.
func TestNetlifySignatureExpires(t *testing.T) {
	clock := now
	r := New(Options{NetlifySecret: secret, Now: func() time.Time { return clock }})
	req := request("198.51.100.7:5000", http.Header{
		"X-Nf-Sign":                 {sign(t, jwt.SigningMethodHS256, secret, validClaims())},
		"X-Nf-Client-Connection-Ip": {"203.0.113.9"},
	})
	if got := r.Addr(req).String(); got != "203.0.113.9" {
		t.Fatalf("fresh token: Addr = %v", got)
	}
	clock = now.Add(10 * time.Minute)
	if got := r.Addr(req).String(); got != "198.51.100.7" {
		t.Fatalf("expired token: Addr = %v, want the peer", got)
	}
}

// TestLoopback runs the resolver behind a real reverse proxy on loopback.
// The client dials from 127.0.0.3, the proxy dials the endpoint from
// 127.0.0.2, and only the proxy is trusted.
func TestLoopback(t *testing.T) {
	probe, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Skipf("cannot use 127.0.0.3 on this system: %v", err)
	}
	probe.Close()

	r := New(Options{TrustedProxies: prefixes(t, "127.0.0.2")})
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.WriteString(w, Key(r.Addr(req)))
	}))
	defer endpoint.Close()

	target, _ := url.Parse(endpoint.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = &http.Transport{DialContext: dialFrom("127.0.0.2")}
	proxy := httptest.NewServer(rp) // appends the client's address to X-Forwarded-For
	defer proxy.Close()

	client := &http.Client{Transport: &http.Transport{DialContext: dialFrom("127.0.0.3")}}
	get := func(url, xff string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}

	for _, tc := range []struct{ name, url, xff, want string }{
		{"direct", endpoint.URL, "", "127.0.0.3"},
		{"direct with forged header", endpoint.URL, "203.0.113.9", "127.0.0.3"},
		{"through the proxy", proxy.URL, "", "127.0.0.3"},
		{"through the proxy with forged header", proxy.URL, "203.0.113.9, 198.51.100.1", "127.0.0.3"},
	} {
		if got := get(tc.url, tc.xff); got != tc.want {
			t.Errorf("%s: key %q, want %q", tc.name, got, tc.want)
		}
	}
}

func dialFrom(ip string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return d.DialContext
}

func FuzzAddr(f *testing.F) {
	valid := sign(f, jwt.SigningMethodHS256, secret, validClaims())
	f.Add("10.0.0.2:5000", "203.0.113.9, 198.51.100.7, 10.0.0.5", "", valid, "203.0.113.9")
	f.Add("198.51.100.7:1", "[2001:db8::1]:80,::ffff:1.2.3.4", "x", "bukan.token", "fe80::1%eth0")
	f.Add("[::ffff:10.0.0.2]:5000", ",,, ,", "10.1.1.1", "", "")
	f.Add("@", "1.2.3.4", "", valid, "::1")
	r := New(Options{
		TrustedProxies: prefixes(f, "10.0.0.0/8", "2001:db8:ffff::/48"),
		NetlifySecret:  secret,
		Now:            func() time.Time { return now },
	})
	f.Fuzz(func(t *testing.T, remote, xff1, xff2, nfSign, nfIP string) {
		req := &http.Request{RemoteAddr: remote, Header: http.Header{
			"X-Forwarded-For":           {xff1, xff2},
			"X-Nf-Sign":                 {nfSign},
			"X-Nf-Client-Connection-Ip": {nfIP},
		}}
		a := r.Addr(req)
		if !a.IsValid() || a.Is4In6() || a.Zone() != "" {
			t.Fatalf("Addr = %#v", a)
		}
		if Key(a) == "" {
			t.Fatalf("Key(%v) is empty", a)
		}
		// An untrusted peer decides nothing but, with a valid signature,
		// the Netlify address.
		peer, ok := parseHost(remote)
		if ok && !r.isTrusted(peer) && a != peer {
			if signed, _ := parseHost(nfIP); a != signed {
				t.Fatalf("untrusted peer %v: Addr = %v", peer, a)
			}
		}
	})
}
