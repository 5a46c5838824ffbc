package join_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/storetest"
)

// FuzzNormalizePhone: whatever is typed, the result is either a message or
// a valid Indonesian mobile number in E.164.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0812-3456-7890", "+62 812 3456 7890", "6281234567890", "021-5551234", "+1 415 555 0100", "08", "٠٨١٢٣٤٥٦٧٨٩٠", "+62(812)3456-7890"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e164, msg := join.NormalizePhone(raw)
		if msg != "" {
			if e164 != "" {
				t.Fatalf("%q: both %q and message %q", raw, e164, msg)
			}
			return
		}
		if !strings.HasPrefix(e164, "+62") {
			t.Fatalf("%q → %q is not Indonesian", raw, e164)
		}
		n, err := phonenumbers.Parse(e164, "ID")
		if err != nil || !phonenumbers.IsValidNumber(n) || phonenumbers.Format(n, phonenumbers.E164) != e164 {
			t.Fatalf("%q → %q is not valid E.164", raw, e164)
		}
		if again, msg := join.NormalizePhone(e164); again != e164 || msg != "" {
			t.Fatalf("normalizing %q again gives %q, %q", e164, again, msg)
		}
	})
}

// FuzzJoinRequest posts any body with any content type to the real handler
// and its SQLite store: no panic, only the answers the endpoint may give,
// and nothing stored unless the answer was a success.
func FuzzJoinRequest(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "name=Siti&phone=0812-3456-7890&workplace=PT&city=Metro&federation=f-hukatan&consent=on")
	f.Add("application/json", `{"name":"Budi","phone":"+6281311112222","workplace":"x","city":"y","federation":"fsb-nikeuba","consent":true}`)
	f.Add("application/json", `{"consent":"on","shown_at":{"a":1}}`)
	f.Add("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nA\r\n--x--")
	f.Add("text/plain", "\xff\xfe")
	e := newEndpoint(f, join.Config{})
	// for fuzzing speed the handler runs in process, on the endpoint's store
	handler := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: []byte("k"), Federations: federations, Logger: e.logger})
	f.Fuzz(func(t *testing.T, contentType, body string) {
		before := storetest.Total(t, e.store)
		req := httptest.NewRequest(http.MethodPost, "/api/join", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if len(body)%2 == 0 {
			req.Header.Set("Accept", "application/json")
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusSeeOther, http.StatusCreated:
		case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
			if after := storetest.Total(t, e.store); after != before {
				t.Fatalf("answer %d, but the store grew from %d to %d", rec.Code, before, after)
			}
		default:
			t.Fatalf("answer %d for %q %q", rec.Code, contentType, body)
		}
	})
}
