package account

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckUsername(t *testing.T) {
	tests := []struct {
		name string
		want Code // "" for valid
	}{
		{"bob", ""},
		{"Alice_99", ""},
		{"x-y_z", ""},
		{strings.Repeat("a", 20), ""},
		{"badger", ""},
		{"marcusaurelius", ""},
		{"ab", CodeInvalidUsername},
		{strings.Repeat("a", 21), CodeInvalidUsername},
		{"", CodeInvalidUsername},
		{"has space", CodeInvalidUsername},
		{"dot.name", CodeInvalidUsername},
		{"émile", CodeInvalidUsername},
		{"bob\x00", CodeInvalidUsername},
		{"admin", CodeUsernameReserved},
		{"ADMIN", CodeUsernameReserved},
		{"Admin_2", CodeUsernameReserved},
		{"4dm1n", CodeUsernameReserved},
		{"the_admin", CodeUsernameReserved},
		{"sysadmin", CodeUsernameReserved},
		{"badminton", CodeUsernameReserved}, // collateral, accepted
		{"administrator", CodeUsernameReserved},
		{"r00t", CodeUsernameReserved},
		{"root", CodeUsernameReserved},
		{"system", CodeUsernameReserved},
		{"Server", CodeUsernameReserved},
		{"moderator42", CodeUsernameReserved},
		{"m0d", CodeUsernameReserved},
		{"golf", CodeUsernameReserved},
		{"Golf_", CodeUsernameReserved},
		{"support", CodeUsernameReserved},
		{"golf-support", CodeUsernameReserved},
		{"sofia", CodeUsernameReserved},
		{"Maya", CodeUsernameReserved},
		{"s0fia", CodeUsernameReserved},
		{"kenji7", CodeUsernameReserved},
		{"expert", CodeUsernameReserved},
		{"Stand-in", CodeUsernameReserved},
		{"cpu_sage", ""}, // "cpusage" is not a name of the lineup
		{"Player_1", CodeUsernameReserved},
		{"guest", CodeUsernameReserved},
	}
	for _, tt := range tests {
		err := CheckUsername(tt.name)
		var got Code
		if err != nil {
			got = err.Code
			if err.Field != "username" || err.Msg == "" {
				t.Errorf("CheckUsername(%q): field %q, message %q", tt.name, err.Field, err.Msg)
			}
		}
		if got != tt.want {
			t.Errorf("CheckUsername(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestReservedCoversLineup: every CPU the server can seat has a reserved
// name, so no person can pass for one.
func TestReservedCoversLineup(t *testing.T) {
	for n := range reservedNames {
		if n == "" {
			t.Error("the empty fold is reserved: every non-ASCII name would be refused")
		}
	}
	for _, name := range []string{"Sofia", "Maya", "Priya", "Marcus", "Kenji", "Diego", "River", "Sage", "Expert", "Stand-in"} {
		if !Reserved(name) {
			t.Errorf("%s is not reserved", name)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		password, username string
		ok                 bool
	}{
		{"correct horse", "bob", true},
		{"12345678", "bob", true},
		{"ünïcødé!", "bob", true}, // 8 characters, more bytes
		{strings.Repeat("x", 128), "bob", true},
		{"1234567", "bob", false},
		{"ääääääa", "bob", false}, // 7 characters, 13 bytes
		{strings.Repeat("x", 129), "bob", false},
		{"", "bob", false},
		{"bobby_tables", "Bobby_Tables", false},
		{"bobby_tables", "", true},
		{"bad\xffutf8!", "bob", false},
	}
	for _, tt := range tests {
		err := CheckPassword(tt.password, tt.username)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q, %q) = %v, want ok=%v", tt.password, tt.username, err, tt.ok)
		}
		if err != nil && (err.Code != CodeInvalidPassword || err.Field != "password") {
			t.Errorf("CheckPassword(%q): %+v", tt.password, err)
		}
		if err != nil && strings.Contains(err.Error(), tt.password) && tt.password != "" {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
}

func TestCheckDisplayName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Bob", "Bob", true},
		{"  Zoë ♣  ", "Zoë ♣", true},
		{"ソフィア", "ソフィア", true},
		{strings.Repeat("é", 24), strings.Repeat("é", 24), true},
		{strings.Repeat("é", 25), "", false},
		{"", "", false},
		{"   ", "", false},
		{"tab\there", "", false},
		{"Sofia", "", false},
		{"Mr Admin", "", false},
		{"Stand-in", "", false},
		{"Guest", "Guest", true},
		{"Player 7", "Player 7", true},
	}
	for _, tt := range tests {
		got, err := CheckDisplayName(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("CheckDisplayName(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && err.Code != CodeInvalidDisplayName {
			t.Errorf("CheckDisplayName(%q): code %s", tt.in, err.Code)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"a@example.com", "a@example.com", true},
		{"Alice.B+golf@Example.ORG", "alice.b+golf@example.org", true},
		{"no-at-sign", "", false},
		{"a@localhost", "", false},
		{"Alice <a@example.com>", "", false},
		{"a@example.com ", "", false},
		{"a@b@example.com", "", false},
		{strings.Repeat("a", 250) + "@x.io", "", false},
	}
	for _, tt := range tests {
		got, err := CheckEmail(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("CheckEmail(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestCheckPreferences(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{`{}`, true},
		{`{"sound":false,"deck":"classic"}`, true},
		{`[]`, false},
		{`null`, false},
		{`"x"`, false},
		{`{`, false},
		{`{"a":"` + strings.Repeat("x", MaxPreferences) + `"}`, false},
	}
	for _, tt := range tests {
		if err := CheckPreferences(json.RawMessage(tt.in)); (err == nil) != tt.ok {
			t.Errorf("CheckPreferences(%.30s) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestJoinFields(t *testing.T) {
	if err := joinFields(nil, nil); err != nil {
		t.Errorf("no field errors: %v, want nil", err)
	}
	one := fieldError(CodeInvalidEmail, "email", "x")
	if err := joinFields(nil, one); err != one {
		t.Errorf("one field error: %v, want it as it is", err)
	}
	err := joinFields(CheckUsername("x"), CheckPassword("short", "x"), one)
	e, ok := err.(*Error)
	if !ok || e.Code != CodeInvalidInput || len(e.Fields) != 3 {
		t.Fatalf("three field errors: %#v", err)
	}
	for i, want := range []string{"username", "password", "email"} {
		if e.Fields[i].Field != want {
			t.Errorf("field %d = %q, want %q", i, e.Fields[i].Field, want)
		}
	}
}
