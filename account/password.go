package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters. They are written into every hash
// (PHC string format), so changing them affects only new hashes; old ones
// still verify, and are rehashed at the user's next sign-in.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams: 64 MiB, one pass, one lane (docs/accounts.md). OWASP's
// floor for argon2id is 19 MiB × 2 passes or 46 MiB × 1; 64 MiB × 1 is
// above both, costs about 65 ms of one core here (BenchmarkHash), and, with
// at most half the processors hashing at once (DefaultConcurrency), 64 MiB
// per core of a small VPS's memory at worst. Memory is what makes GPUs and ASICs pay, so it is the
// dial turned up; more lanes would only spread one hash over cores that
// other sign-ins need.
var DefaultParams = Params{Memory: 64 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read from a stored hash: a corrupt or hostile row
// must not make one check allocate gigabytes or run for minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	maxThreads = 64
	maxKeyLen  = 128
	maxSaltLen = 64
)

func (p Params) valid() bool {
	return p.Memory >= 8*uint32(p.Threads) && p.Memory <= maxMemory && p.Time >= 1 && p.Time <= maxTime &&
		p.Threads >= 1 && p.Threads <= maxThreads && p.SaltLen >= 8 && p.SaltLen <= maxSaltLen &&
		p.KeyLen >= 16 && p.KeyLen <= maxKeyLen
}

// errBadHash: a stored hash that is not an argon2id PHC string we can
// check. It is a server fault, never a client's: the caller reports it as
// an internal error.
var errBadHash = errors.New("account: malformed password hash")

var b64 = base64.RawStdEncoding // PHC strings use standard base64 without padding

// encodeHash returns the PHC string $argon2id$v=19$m=…,t=…,p=…$salt$key.
func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decodeHash parses a PHC string written by encodeHash.
func decodeHash(s string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errBadHash
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return p, nil, nil, errBadHash
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return p, nil, nil, errBadHash
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, errBadHash
		}
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, errBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if !p.valid() {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// Hasher hashes and checks passwords with argon2id, at most a fixed number
// at once. Each hash holds Params.Memory for its duration, so a flood of
// sign-ins would otherwise take all the server's memory and cores; beyond
// the bound, callers wait (for their context), and beyond a bounded queue
// they get ErrBusy at once, so waiting requests cannot pile up either.
type Hasher struct {
	params Params
	slots  chan struct{} // a token per hash running
	queue  chan struct{} // a token per caller running or waiting
	hash   func(password, salt []byte, p Params) []byte
}

// NewHasher returns a Hasher with parameters p that runs at most
// concurrency hashes at once and lets at most waiting more callers wait.
// concurrency < 1 means DefaultConcurrency; waiting < 0 means 8 ×
// concurrency.
func NewHasher(p Params, concurrency, waiting int) (*Hasher, error) {
	if !p.valid() {
		return nil, fmt.Errorf("account: argon2id parameters %+v out of bounds", p)
	}
	if concurrency < 1 {
		concurrency = DefaultConcurrency()
	}
	if waiting < 0 {
		waiting = 8 * concurrency
	}
	return &Hasher{
		params: p,
		slots:  make(chan struct{}, concurrency),
		queue:  make(chan struct{}, concurrency+waiting),
		hash: func(password, salt []byte, p Params) []byte {
			return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		},
	}, nil
}

// Params returns the parameters new hashes get.
func (h *Hasher) Params() Params { return h.params }

// acquire takes a slot, waiting at most until ctx ends; ErrBusy if the
// queue is full.
func (h *Hasher) acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.queue <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots; <-h.queue }, nil
	case <-ctx.Done():
		<-h.queue
		return nil, ctx.Err()
	}
}

// Hash returns the PHC string of password under a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	rand.Read(salt)
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return encodeHash(h.params, salt, h.hash([]byte(password), salt, h.params)), nil
}

// Verify reports whether password matches the PHC string encoded, with the
// parameters recorded in it, comparing in constant time. errBadHash if
// encoded is not such a string.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	got := h.hash([]byte(password), salt, p)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than
// the Hasher's, so the next successful sign-in should replace it.
func (h *Hasher) NeedsRehash(encoded string) bool {
	p, _, _, err := decodeHash(encoded)
	return err != nil || p != h.params
}

// DefaultConcurrency is how many hashes a Hasher made with concurrency < 1
// runs at once: half the processors (at least one), so a flood of
// sign-ins leaves the other half to the games.
func DefaultConcurrency() int { return max(1, runtime.GOMAXPROCS(0)/2) }
