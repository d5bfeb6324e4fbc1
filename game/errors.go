package game

// Code names the kind of a rejected command (rules §13). Codes are part of
// the wire protocol: clients branch on them.
type Code string

// The rejection codes of rules §13, plus invalid_name and invalid_command for
// malformed identities and unknown command kinds.
const (
	CodeNotAPlayer               Code = "not_a_player"
	CodeNotHost                  Code = "not_host"
	CodeWrongPhase               Code = "wrong_phase"
	CodeGameFull                 Code = "game_full"
	CodeAlreadySeated            Code = "already_seated"
	CodeNotEnoughPlayers         Code = "not_enough_players"
	CodeUnknownOption            Code = "unknown_option"
	CodeInvalidOptionValue       Code = "invalid_option_value"
	CodeAlreadyFlipped           Code = "already_flipped"
	CodeInvalidPositions         Code = "invalid_positions"
	CodeNotYourTurn              Code = "not_your_turn"
	CodeRuleDisabled             Code = "rule_disabled"
	CodeFlipPending              Code = "flip_pending"
	CodeHoldingCard              Code = "holding_card"
	CodeNotHolding               Code = "not_holding"
	CodeNoFlipPending            Code = "no_flip_pending"
	CodeInvalidSource            Code = "invalid_source"
	CodeInvalidPosition          Code = "invalid_position"
	CodeDiscardEmpty             Code = "discard_empty"
	CodeCannotDiscardFromDiscard Code = "cannot_discard_from_discard"
	CodeCannotPutBackDeckCard    Code = "cannot_put_back_deck_card"
	CodeDiscardPutBack           Code = "discard_put_back"
	CodeCardFaceUp               Code = "card_face_up"
	CodeFlipMandatory            Code = "flip_mandatory"
	CodeKnockNotAllowed          Code = "knock_not_allowed"
	CodeInvalidName              Code = "invalid_name"
	CodeInvalidCommand           Code = "invalid_command"
)

// Error is a rejected command: a code from rules §13, the setting it is
// about (for option errors) and a message for people.
type Error struct {
	Code Code
	Key  string // the offending setting or option name, if any
	Msg  string
}

func (e *Error) Error() string {
	if e.Msg == "" {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Msg
}

// Is makes errors.Is(err, game.ErrNotYourTurn) match any *Error with that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Key == "" && t.Msg == ""
}

// Sentinels for errors.Is; each matches every rejection with its code.
var (
	ErrNotAPlayer               = &Error{Code: CodeNotAPlayer}
	ErrNotHost                  = &Error{Code: CodeNotHost}
	ErrWrongPhase               = &Error{Code: CodeWrongPhase}
	ErrGameFull                 = &Error{Code: CodeGameFull}
	ErrAlreadySeated            = &Error{Code: CodeAlreadySeated}
	ErrNotEnoughPlayers         = &Error{Code: CodeNotEnoughPlayers}
	ErrUnknownOption            = &Error{Code: CodeUnknownOption}
	ErrInvalidOptionValue       = &Error{Code: CodeInvalidOptionValue}
	ErrAlreadyFlipped           = &Error{Code: CodeAlreadyFlipped}
	ErrInvalidPositions         = &Error{Code: CodeInvalidPositions}
	ErrNotYourTurn              = &Error{Code: CodeNotYourTurn}
	ErrRuleDisabled             = &Error{Code: CodeRuleDisabled}
	ErrFlipPending              = &Error{Code: CodeFlipPending}
	ErrHoldingCard              = &Error{Code: CodeHoldingCard}
	ErrNotHolding               = &Error{Code: CodeNotHolding}
	ErrNoFlipPending            = &Error{Code: CodeNoFlipPending}
	ErrInvalidSource            = &Error{Code: CodeInvalidSource}
	ErrInvalidPosition          = &Error{Code: CodeInvalidPosition}
	ErrDiscardEmpty             = &Error{Code: CodeDiscardEmpty}
	ErrCannotDiscardFromDiscard = &Error{Code: CodeCannotDiscardFromDiscard}
	ErrCannotPutBackDeckCard    = &Error{Code: CodeCannotPutBackDeckCard}
	ErrDiscardPutBack           = &Error{Code: CodeDiscardPutBack}
	ErrCardFaceUp               = &Error{Code: CodeCardFaceUp}
	ErrFlipMandatory            = &Error{Code: CodeFlipMandatory}
	ErrKnockNotAllowed          = &Error{Code: CodeKnockNotAllowed}
	ErrInvalidName              = &Error{Code: CodeInvalidName}
	ErrInvalidCommand           = &Error{Code: CodeInvalidCommand}
)

// messages are what a person reads for a rejection that carries no message
// of its own (the sentinels above): clients show the code's meaning, not the
// code. TestEveryCodeHasAMessage keeps the list whole.
var messages = map[Code]string{
	CodeNotAPlayer:               "you are not a player in this game",
	CodeNotHost:                  "only the host can do that",
	CodeWrongPhase:               "that cannot be done at this point of the game",
	CodeGameFull:                 "the game is full",
	CodeAlreadySeated:            "you already have a seat in this game",
	CodeNotEnoughPlayers:         "the game needs at least two players",
	CodeUnknownOption:            "there is no such option",
	CodeInvalidOptionValue:       "that value is not allowed for this option",
	CodeAlreadyFlipped:           "you have already turned your first cards",
	CodeInvalidPositions:         "those positions are not a valid choice",
	CodeNotYourTurn:              "it is not your turn",
	CodeRuleDisabled:             "the house rules of this game do not allow that",
	CodeFlipPending:              "turn a card face up first",
	CodeHoldingCard:              "you are holding a card: swap it or discard it first",
	CodeNotHolding:               "draw a card first",
	CodeNoFlipPending:            "there is no card to turn now",
	CodeInvalidSource:            "draw from the deck or the discard pile",
	CodeInvalidPosition:          "there is no card at that position",
	CodeDiscardEmpty:             "the discard pile is empty",
	CodeCannotDiscardFromDiscard: "a card taken from the discard pile must be swapped into your hand",
	CodeCannotPutBackDeckCard:    "a card drawn from the deck cannot be put back",
	CodeDiscardPutBack:           "you put a card back on the pile this turn: draw from the deck",
	CodeCardFaceUp:               "that card is already face up",
	CodeFlipMandatory:            "you must turn a card face up",
	CodeKnockNotAllowed:          "you cannot knock now",
	CodeInvalidName:              "that name cannot be used",
	CodeInvalidCommand:           "that command is not known",
}

// Message is the text a person reads: the rejection's own message, or its
// code's.
func (e *Error) Message() string {
	if e.Msg != "" {
		return e.Msg
	}
	if m, ok := messages[e.Code]; ok {
		return m
	}
	return string(e.Code)
}

// reject returns a rejection with a message.
func reject(code Code, msg string) *Error { return &Error{Code: code, Msg: msg} }

// CodeOf returns the rejection code of err, or "" if err is not a rejection.
func CodeOf(err error) Code {
	for err != nil {
		if e, ok := err.(*Error); ok {
			return e.Code
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return ""
		}
		err = u.Unwrap()
	}
	return ""
}
