// keep.js — complete state frames (docs/protocol.md, "keep"). A state frame
// leaves out what is unchanged since the connection's previous state frame
// and names it in `keep`: members of the view (`keep.view`), seats
// (`keep.seats`, null in `view.seats`) and members of the room
// (`keep.room`). They are taken from that previous frame, so the rest of
// the page only ever sees complete views.

/**
 * complete fills frame's kept members in from prev, the connection's
 * previous state frame (as complete), and returns frame without its keep.
 * It returns null when frame keeps what prev cannot give: no previous frame
 * (the server sends a complete one after every welcome), or a member prev
 * does not have.
 */
export function complete(frame, prev) {
  const keep = frame.keep;
  if (!keep) return frame;
  if (!prev?.view) return null;
  const view = frame.view;
  const room = frame.room ?? {};
  for (const name of keep.view ?? []) {
    if (!(name in prev.view)) return null;
    view[name] = prev.view[name];
  }
  for (const i of keep.seats ?? []) {
    const seat = prev.view.seats?.[i];
    if (!seat || !Array.isArray(view.seats) || i >= view.seats.length) return null;
    view.seats[i] = seat;
  }
  for (const name of keep.room ?? []) {
    if (!prev.room || !(name in prev.room)) return null;
    room[name] = prev.room[name];
  }
  frame.room = room;
  delete frame.keep;
  return frame;
}
