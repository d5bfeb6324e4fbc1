package game

// Kind names a command (rules §6.2, §13, §14.3). Its string is the command's
// name on the wire.
type Kind uint8

// The commands. The zero Kind is invalid.
const (
	CmdNone Kind = iota
	CmdCreateGame
	CmdJoin
	CmdAddCPU
	CmdRemovePlayer
	CmdLeave
	CmdChangeSettings
	CmdStartGame
	CmdFlipInitial
	CmdDraw
	CmdPutBack
	CmdSwap
	CmdDiscard
	CmdFlip
	CmdSkipFlip
	CmdFlipAsAction
	CmdKnock
	CmdNextRound
	CmdEndGame
	CmdAutoplay
	numKinds
)

var kindNames = [...]string{
	"", "create_game", "join", "add_cpu", "remove_player", "leave", "change_settings", "start_game",
	"flip_initial", "draw", "put_back", "swap", "discard", "flip", "skip_flip", "flip_as_action",
	"knock", "next_round", "end_game", "autoplay",
}

func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "invalid"
}

// ParseKind returns the Kind with the given wire name.
func ParseKind(s string) (Kind, bool) {
	for k := CmdCreateGame; k < numKinds; k++ {
		if kindNames[k] == s {
			return k, true
		}
	}
	return CmdNone, false
}

// Platform is the actor id of the server itself: it may remove any player,
// start the next round after a countdown and end a game (rules §2, §10).
// Player ids can never take this value (see validID).
const Platform = "#platform"

// Command is a proposal to change a game. Decide validates it against a
// State and returns the events it causes. A Command is one flat value (not
// an interface) so the hot path decides without allocating; the
// constructors below build each kind.
type Command struct {
	Kind Kind
	By   string // the acting player's id, or Platform

	Pos       int    // Swap, Flip, FlipAsAction
	Source    Source // Draw
	Positions []int  // FlipInitial

	Player   string      // AddCPU, RemovePlayer: the target seat's id
	Name     string      // CreateGame, Join, AddCPU
	Profile  string      // AddCPU
	Reason   LeaveReason // RemovePlayer
	RoomCode string      // CreateGame
	Settings Settings    // CreateGame, ChangeSettings
	Seed     Seed        // StartGame, NextRound: fresh from a secure source
	On       bool        // Autoplay
}

// CreateGameCmd opens a game with by as host and first player.
func CreateGameCmd(by, name, room string, s Settings) Command {
	return Command{Kind: CmdCreateGame, By: by, Name: name, RoomCode: room, Settings: s}
}

// JoinCmd seats a person.
func JoinCmd(by, name string) Command { return Command{Kind: CmdJoin, By: by, Name: name} }

// AddCPUCmd seats a CPU player with the given id, name and profile.
func AddCPUCmd(by, id, name, profile string) Command {
	return Command{Kind: CmdAddCPU, By: by, Player: id, Name: name, Profile: profile}
}

// RemovePlayerCmd removes a seat: the host removes a CPU in the lobby, the
// platform removes anyone (reason removed or timed_out).
func RemovePlayerCmd(by, id string, reason LeaveReason) Command {
	return Command{Kind: CmdRemovePlayer, By: by, Player: id, Reason: reason}
}

// LeaveCmd gives up by's seat.
func LeaveCmd(by string) Command { return Command{Kind: CmdLeave, By: by} }

// ChangeSettingsCmd sets the lobby settings.
func ChangeSettingsCmd(by string, s Settings) Command {
	return Command{Kind: CmdChangeSettings, By: by, Settings: s}
}

// StartGameCmd starts the game; seed shuffles round 1.
func StartGameCmd(by string, seed Seed) Command {
	return Command{Kind: CmdStartGame, By: by, Seed: seed}
}

// FlipInitialCmd submits a player's initial flips.
func FlipInitialCmd(by string, positions ...int) Command {
	return Command{Kind: CmdFlipInitial, By: by, Positions: positions}
}

// DrawCmd draws from the deck or the discard pile.
func DrawCmd(by string, from Source) Command { return Command{Kind: CmdDraw, By: by, Source: from} }

// PutBackCmd returns a card taken from the discard pile.
func PutBackCmd(by string) Command { return Command{Kind: CmdPutBack, By: by} }

// SwapCmd puts the held card at pos.
func SwapCmd(by string, pos int) Command { return Command{Kind: CmdSwap, By: by, Pos: pos} }

// DiscardCmd discards the held deck card.
func DiscardCmd(by string) Command { return Command{Kind: CmdDiscard, By: by} }

// FlipCmd resolves a flip obligation by turning up pos.
func FlipCmd(by string, pos int) Command { return Command{Kind: CmdFlip, By: by, Pos: pos} }

// SkipFlipCmd declines an optional flip.
func SkipFlipCmd(by string) Command { return Command{Kind: CmdSkipFlip, By: by} }

// FlipAsActionCmd turns up pos as the whole turn.
func FlipAsActionCmd(by string, pos int) Command {
	return Command{Kind: CmdFlipAsAction, By: by, Pos: pos}
}

// KnockCmd turns up every face-down card as the whole turn.
func KnockCmd(by string) Command { return Command{Kind: CmdKnock, By: by} }

// NextRoundCmd deals the next round with a fresh seed.
func NextRoundCmd(by string, seed Seed) Command {
	return Command{Kind: CmdNextRound, By: by, Seed: seed}
}

// EndGameCmd abandons the game.
func EndGameCmd(by string) Command { return Command{Kind: CmdEndGame, By: by} }

// ReplaceCmd records that the host removed a human mid-game: the platform
// plays their seat to the end (AutoplayChanged with removed set), whether
// or not it was already playing for them.
func ReplaceCmd(id string) Command {
	return Command{Kind: CmdAutoplay, By: Platform, Player: id, On: true, Reason: ReasonRemoved}
}

// AutoplayCmd records that the platform starts (on) or stops playing for an
// absent player's seat. Only the platform sends it.
func AutoplayCmd(id string, on bool) Command {
	return Command{Kind: CmdAutoplay, By: Platform, Player: id, On: on}
}
