package web

import (
	"context"
	"errors"
	"net/http"

	"golf/account"
	"golf/game"
	"golf/live"
	"golf/store"
)

// Who a WebSocket plays as. With accounts, the upgrade request's session
// (cookie or Bearer) names the user, and every seat the connection takes
// is that user's: its player id is the user id. A connection with no
// session (a bot, a script) that creates or joins becomes a guest of its
// own, made on the spot and holding no session, so every human seat is
// still a user's. A seat token resumes its seat as today, whoever
// presents it, unless the seat's owner has been banned or closed their
// account since.

// wsPrincipal authenticates a WebSocket upgrade. A session that is
// revoked, expired, or whose user is banned or gone cannot open a socket:
// it is refused before the upgrade (401 or 403, JSON). No session is
// fine.
func (s *Server) wsPrincipal(w http.ResponseWriter, r *http.Request) (*principal, bool) {
	if s.accounts == nil {
		return nil, true
	}
	p, err := s.authenticate(r)
	if err != nil {
		s.log.Info("websocket refused: session", "err", err)
		s.accountError(w, r, err)
		return nil, false
	}
	return p, true
}

// identify records who a new socket acts for.
func (s *Server) identify(sess *session, p *principal) {
	if p == nil {
		return
	}
	sess.user = p.user.ID
	s.conns.set(sess, connKey{p.user.ID, p.session.ID})
}

// seatUser returns the player id a create or join by sess takes: its
// user's, or a new guest's named name when it has none ("" without
// accounts: live draws a guest id). With accounts, a seat's name obeys
// the display names' rules, reserved names included: nobody sits down as
// "Admin" or as a CPU's name.
func (s *Server) seatUser(ctx context.Context, sess *session, name string) (string, error) {
	if s.accounts == nil {
		return "", nil
	}
	if _, ferr := account.CheckDisplayName(name); ferr != nil {
		return "", wsAccountError(ferr)
	}
	if sess.user != "" {
		return sess.user, nil
	}
	u, err := s.accounts.NewSeatGuest(ctx, name)
	if err != nil {
		return "", wsAccountError(err)
	}
	sess.user = u.ID
	s.conns.set(sess, connKey{u.ID, ""})
	return u.ID, nil
}

// checkSeat refuses a resume of a seat whose owner may not play any more
// (banned, account closed). The holder of a seat token need not be its
// owner's session (a reconnecting bot has none), so the owner is checked.
func (s *Server) checkSeat(ctx context.Context, sess *session, t *live.Table, token string) error {
	if s.accounts == nil {
		return nil
	}
	holder, err := t.SeatHolder(ctx, token)
	if err != nil {
		return err
	}
	if holder != sess.user && store.CheckID("player", holder) == nil {
		err := s.accounts.Standing(ctx, holder)
		if err != nil && !errors.Is(err, account.ErrUserNotFound) {
			return wsAccountError(err)
		}
	}
	if sess.user == "" {
		// Indexed under the seat's owner, so banning them closes it.
		s.conns.set(sess, connKey{holder, ""})
	}
	return nil
}

// wsAccountError turns an account error into a WebSocket error frame's:
// a refused name is the rules' invalid_name, as without accounts.
func wsAccountError(err error) error {
	var ae *account.Error
	if !errors.As(err, &ae) {
		return live.ErrUnavailable
	}
	if ae.Code == account.CodeInvalidDisplayName {
		return &game.Error{Code: game.CodeInvalidName, Msg: ae.Msg}
	}
	return &live.Error{Code: live.Code(ae.Code), Msg: ae.Msg}
}
