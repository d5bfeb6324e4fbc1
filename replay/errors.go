package replay

import (
	"errors"
	"fmt"
)

// Errors callers branch on. The web layer turns them into HTTP answers
// (docs/api.md); none carries anything of the game it refuses.
var (
	// ErrNotFound: no such game, or one the viewer may not see (a private
	// game answers exactly like a missing one).
	ErrNotFound = errors.New("replay: game not found")
	// ErrUnfinished: the game has not ended; it has no export or replay.
	ErrUnfinished = errors.New("replay: game not finished")
	// ErrArchived: the game's events were archived to a file.
	ErrArchived = errors.New("replay: game archived")
	// ErrForbidden: the viewer may see the game but not change it.
	ErrForbidden = errors.New("replay: not allowed")
)

// Codes of an ImportError, stable: clients translate them.
const (
	CodeTooLarge   = "import_too_large"  // the file is larger than MaxSize
	CodeMalformed  = "import_malformed"  // not a JSON export document
	CodeVersion    = "import_version"    // an unknown format or version
	CodeGap        = "import_gap"        // an event number is missing
	CodeDuplicate  = "import_duplicate"  // an event number comes twice
	CodeReordered  = "import_reordered"  // an event number goes backwards
	CodeBadEvent   = "import_bad_event"  // an event that does not decode
	CodeRefused    = "import_refused"    // an event the engine refuses (a forged card, a move out of turn)
	CodeUnfinished = "import_unfinished" // the events do not end the game
	CodeMismatch   = "import_mismatch"   // the game's description does not match its events
)

// ImportError is why a file was refused. Seq names the first bad event (0
// when the fault is not one event's).
type ImportError struct {
	Code string
	Seq  int64
	Msg  string
}

func (e *ImportError) Error() string {
	if e.Seq > 0 {
		return fmt.Sprintf("import: event %d: %s", e.Seq, e.Msg)
	}
	return "import: " + e.Msg
}

func refuse(code string, seq int64, format string, args ...any) *ImportError {
	return &ImportError{Code: code, Seq: seq, Msg: fmt.Sprintf(format, args...)}
}
