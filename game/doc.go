// Package game is the rules engine of 6-card Golf: cards and decks, the
// house-rule options and presets, commands, events and their stored
// encoding, the game state, scoring, and the views players receive.
// docs/rules.md is the specification it implements, section by section;
// its tests carry every vector of that document's §15, and
// TestRulesDocMatchesPackage keeps the document's tables of options, card
// values and presets in step with the code.
//
// A game is its event log. Three functions make up the contract:
//
//   - Decide(state, command) validates a command and returns the events it
//     causes, or a *Error with a stable Code (rules §13) and no events. It
//     never changes the state.
//   - State.Apply(event) folds one event into the state. It is the only code
//     that changes a State, and it rejects an event that does not fit
//     (ErrInconsistent), so a log that folds without error is a legal game.
//     Fold rebuilds a state from a whole log.
//   - State.View(seat) is what one seat, or a spectator, may know (rules
//     §12): no face-down card, no deck order, no seed, and another player's
//     deck draw only as its back. Clients and CPU players get views, never
//     states; Redact does the same for a live feed of events.
//
// The engine is pure: Decide, Apply and View do no I/O, read no clock and
// draw no randomness. Every shuffle comes from the 256-bit seed the caller
// puts into StartGame and NextRound (from NewSeed, the package's one use of
// crypto/rand), recorded in the RoundStarted event, so a game is a function
// of its log and replays exactly.
package game
