package ai

import (
	"reflect"
	"testing"
)

// pointerEnd returns where the last pointer-holding word of t ends: the
// collector scans an object that far.
func pointerEnd(t reflect.Type) uintptr {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.String, reflect.Interface, reflect.Func,
		reflect.Chan, reflect.UnsafePointer:
		return t.Size()
	case reflect.Array:
		if t.Len() == 0 {
			return 0
		}
		if e := pointerEnd(t.Elem()); e > 0 {
			return uintptr(t.Len()-1)*t.Elem().Size() + e
		}
	case reflect.Struct:
		var end uintptr
		for i := range t.NumField() {
			f := t.Field(i)
			if e := pointerEnd(f.Type); e > 0 {
				end = max(end, f.Offset+e)
			}
		}
		return end
	}
	return 0
}

// A table keeps a player per CPU seat for the whole game, and the
// collector scans each up to its last pointer: those come first, so that
// most of its 4 KB is never scanned.
func TestPlayerPointersLead(t *testing.T) {
	ty := reflect.TypeFor[player]()
	end := pointerEnd(ty)
	t.Logf("player: %d bytes, pointers within the first %d", ty.Size(), end)
	if end > 512 {
		t.Errorf("player's pointers reach byte %d of %d: put the fields that hold them first", end, ty.Size())
	}
}
