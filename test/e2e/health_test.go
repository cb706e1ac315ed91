//go:build e2e

package e2e_test

import (
	"os"

	. "github.com/onsi/gomega"
	lua "github.com/yuin/gopher-lua"
)

// argoHealth evaluates the shipped Argo CD health script on obj the way
// Argo CD does: obj is a global table, and the script returns {status,
// message}.
func argoHealth(obj map[string]any) (string, string) {
	script, err := os.ReadFile(file("config", "argocd", "health.lua"))
	Expect(err).NotTo(HaveOccurred())
	state := lua.NewState()
	defer state.Close()
	state.SetGlobal("obj", toLua(state, obj))
	Expect(state.DoString(string(script))).To(Succeed())
	result, ok := state.Get(-1).(*lua.LTable)
	Expect(ok).To(BeTrue(), "the script returns a table")
	return result.RawGetString("status").String(), result.RawGetString("message").String()
}

func toLua(state *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case map[string]any:
		t := state.NewTable()
		for k, child := range x {
			t.RawSetString(k, toLua(state, child))
		}
		return t
	case []any:
		t := state.NewTable()
		for _, child := range x {
			t.Append(toLua(state, child))
		}
		return t
	case string:
		return lua.LString(x)
	case float64:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case bool:
		return lua.LBool(x)
	default:
		return lua.LNil
	}
}
