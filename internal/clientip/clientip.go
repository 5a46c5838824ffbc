// Package clientip finds the address of the person behind a request, even
// when the request came through proxies, without letting that person choose
// the answer.
//
// # Why it matters
//
// The join endpoint limits signups per client address. The attacker we
// design against is an employer with a list of phone numbers who posts them
// one by one to learn which of their workers have joined. Such a script can
// put any X-Forwarded-For header it likes on its requests; if the endpoint
// believed the header, every request would come from a "new" address and the
// per-address limit would never bite. So a forwarded header is believed only
// when the peer that delivered it is one we trust to have written it.
//
// # Proxies we run: the right-most untrusted address
//
// Each proxy appends the address it received the request from to
// X-Forwarded-For. The entries on the left were written by whoever sent the
// request first, that is, possibly by the attacker; only the entries on the
// right, appended by our own proxies, can be believed. When the peer
// (http.Request.RemoteAddr) is inside Options.TrustedProxies, Addr walks
// X-Forwarded-For (all its header lines, in order, joined by commas) from the
// right, skips entries that are not addresses and entries that are
// themselves trusted proxies, and takes the first remaining one. For
//
//	X-Forwarded-For: 203.0.113.9, 198.51.100.7, 10.0.0.5
//
// arriving from the trusted 10.0.0.2, with 10.0.0.0/8 trusted, the client is
// 198.51.100.7; 203.0.113.9 is whatever the client claimed. When every entry
// is trusted or unreadable, the client is the peer. When the peer is not
// trusted, forwarded headers are ignored entirely.
//
// # Netlify: signed proxy redirects
//
// Netlify's proxies have no fixed addresses, so they cannot be listed in
// TrustedProxies. Instead, a proxy rule in netlify.toml names an environment
// variable holding a secret:
//
//	[[redirects]]
//	  from = "/api/*"
//	  to = "https://gabung.example.org/api/:splat"
//	  status = 200
//	  force = true
//	  signed = "SERIKAT_PROXY_SECRET"
//
// Netlify then sends X-Nf-Sign with every proxied request: a JWS signed with
// HS256 under that secret, with the claims iss "netlify", exp (five minutes
// after signing), deploy_context, netlify_id and site_url. The endpoint is
// given the same secret (from a file, not a flag) as Options.NetlifySecret.
// When X-Nf-Sign verifies, the client is X-Nf-Client-Connection-Ip, the
// address Netlify saw. A signature that does not verify (another algorithm,
// "none", another secret, expired, another issuer, no expiry, or not a JWS at
// all) is not an error: the request is simply treated as unsigned and the
// rules above apply. A worker is never refused because of a header.
//
// The signature covers the claims, not the client address, so a token that
// leaked (say, into a log of request headers) could be replayed for its few
// minutes with any address. Never log X-Nf-Sign.
//
// # Keys
//
// Key turns an address into a rate-limit key. One IPv6 subscriber is
// usually given a whole /64, so IPv6 addresses are keyed by their /64;
// otherwise one phone could take 2^64 turns.
package clientip

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Header names, in canonical form.
const (
	headerForwardedFor = "X-Forwarded-For"
	headerNetlifySign  = "X-Nf-Sign"
	headerNetlifyIP    = "X-Nf-Client-Connection-Ip"
)

// maxSignLen bounds the X-Nf-Sign value worth verifying; Netlify's tokens
// are a few hundred bytes.
const maxSignLen = 4 << 10

// leeway is the clock skew allowed between Netlify and us.
const leeway = 30 * time.Second

// Options configures a Resolver. The zero Options trusts nobody: Addr is
// always the peer.
type Options struct {
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// NetlifySecret is the secret of Netlify's signed proxy redirects;
	// nil or empty turns the Netlify headers off.
	NetlifySecret []byte
	// Now is the clock for checking a signature's expiry; default time.Now.
	Now func() time.Time
}

// Resolver finds the client address of a request. It is safe for
// concurrent use.
type Resolver struct {
	trusted []netip.Prefix
	secret  []byte
	netlify *jwt.Parser // nil when Netlify signatures are off
}

// New returns a Resolver. It keeps its own copies of o's slices.
func New(o Options) *Resolver {
	r := &Resolver{trusted: make([]netip.Prefix, 0, len(o.TrustedProxies))}
	for _, p := range o.TrustedProxies {
		if p.IsValid() {
			r.trusted = append(r.trusted, unmapPrefix(p.Masked()))
		}
	}
	if len(o.NetlifySecret) > 0 {
		now := o.Now
		if now == nil {
			now = time.Now
		}
		r.secret = append([]byte(nil), o.NetlifySecret...)
		r.netlify = jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer("netlify"),
			jwt.WithExpirationRequired(),
			jwt.WithLeeway(leeway),
			jwt.WithTimeFunc(now),
		)
	}
	return r
}

// ParsePrefixes parses trusted proxies written as CIDR prefixes
// ("10.0.0.0/8", "2001:db8::/32") or bare addresses ("192.0.2.1", taken as
// /32, or "2001:db8::1", taken as /128). Blank entries are skipped. The
// error names every entry that is neither.
func ParsePrefixes(cidrs []string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	var errs []error
	for _, s := range cidrs {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("clientip: trusted proxy %q: not a CIDR prefix like 10.0.0.0/8", s))
				continue
			}
			ps = append(ps, unmapPrefix(p.Masked()))
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			errs = append(errs, fmt.Errorf("clientip: trusted proxy %q: not an IP address or CIDR prefix", s))
			continue
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, errors.Join(errs...)
}

// Addr returns the client address of req: the address Netlify signed for, or
// the right-most untrusted X-Forwarded-For entry when the peer is a trusted
// proxy, or else the peer. The result is always valid, never IPv4-mapped
// IPv6 and never zoned. A RemoteAddr that is not an address (a Unix socket)
// gives the unspecified address ::, so such clients share one key.
func (r *Resolver) Addr(req *http.Request) netip.Addr {
	if a, ok := r.signed(req.Header); ok {
		return a
	}
	peer, ok := parseHost(req.RemoteAddr)
	if !ok {
		return netip.IPv6Unspecified()
	}
	if !r.isTrusted(peer) {
		return peer
	}
	lines := req.Header.Values(headerForwardedFor)
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for rest != "" {
			entry := rest
			if j := strings.LastIndexByte(rest, ','); j >= 0 {
				entry, rest = rest[j+1:], rest[:j]
			} else {
				rest = ""
			}
			a, ok := parseHost(entry)
			if !ok || r.isTrusted(a) {
				continue
			}
			return a
		}
	}
	return peer
}

// signed returns X-Nf-Client-Connection-Ip when X-Nf-Sign verifies. Each
// header must appear exactly once: a second copy means someone other than
// Netlify wrote one of them.
func (r *Resolver) signed(h http.Header) (netip.Addr, bool) {
	if r.netlify == nil {
		return netip.Addr{}, false
	}
	signs, ips := h.Values(headerNetlifySign), h.Values(headerNetlifyIP)
	if len(signs) != 1 || len(ips) != 1 || len(signs[0]) > maxSignLen {
		return netip.Addr{}, false
	}
	a, ok := parseHost(ips[0])
	if !ok {
		return netip.Addr{}, false
	}
	if _, err := r.netlify.Parse(strings.TrimSpace(signs[0]), r.key); err != nil {
		return netip.Addr{}, false
	}
	return a, true
}

// key is the jwt.Keyfunc. The parser already admits only HS256; the type
// check keeps an RSA or "none" token from ever meeting the secret.
func (r *Resolver) key(t *jwt.Token) (any, error) {
	if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
		return nil, fmt.Errorf("clientip: X-Nf-Sign: unexpected algorithm %v", t.Header["alg"])
	}
	return r.secret, nil
}

func (r *Resolver) isTrusted(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHost reads "1.2.3.4", "2001:db8::1", "1.2.3.4:80" or "[2001:db8::1]:80",
// with spaces around, and returns the address unmapped and without zone.
func parseHost(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

// unmapPrefix turns ::ffff:10.0.0.0/104 into 10.0.0.0/8, so that it matches
// the unmapped addresses Addr compares with it.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p
}

// Key returns the rate-limit key of a: an IPv4 address as it is ("192.0.2.1"),
// an IPv6 address as its /64 ("2001:db8:1:2::/64"). An IPv4-mapped IPv6
// address is keyed as the IPv4 address.
func Key(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}
