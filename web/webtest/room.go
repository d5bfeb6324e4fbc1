package webtest

import "encoding/json"

// RoomCode reads a frame's room field, which is the room's code in some
// frames and the room itself ({"code": …}) in others.
func RoomCode(room json.RawMessage) string {
	var s string
	if json.Unmarshal(room, &s) == nil {
		return s
	}
	var r struct {
		Code string `json:"code"`
	}
	json.Unmarshal(room, &r)
	return r.Code
}
