-- Division and modulo by zero raise errors (constant and run-time operands),
-- and the errors are catchable without harming the state.
local T = require "ktap"

local zero = 0
local function idiv(a, b) return a // b end
local function div(a, b) return a / b end
local function mod(a, b) return a % b end

T.test("idiv-zero", function()
	T.err(idiv, "divide by zero", 1, 0)
	T.err(idiv, "divide by zero", 0, 0)
	T.err(idiv, "divide by zero", math.mininteger, 0)
end)

T.test("div-zero", function()
	T.err(div, nil, 1, 0)
	T.err(div, nil, -1, 0)
	T.err(div, nil, 0, 0)
end)

T.test("mod-zero", function()
	T.err(mod, "'n%%0'", 1, 0)
	T.err(mod, "'n%%0'", -5, 0)
end)

T.test("constant-operands", function()
	T.err(function() return 1 // 0 end, "divide by zero")
	T.err(function() return 1 % 0 end, "'n%%0'")
	T.err(function() return 1 / 0 end)
	T.err(function() return 7 // zero end, "divide by zero")
end)

T.test("load-constant-zero", function()
	local f = load("return 1 // 0")
	T.ok(f, "a division by a zero constant still compiles")
	T.err(f, "divide by zero")
	f = load("return 2 / 0")
	T.ok(f, "2 / 0 compiles")
	T.err(f)
end)

T.test("string-operands", function()
	T.err(function() return "4" // "0" end, "divide by zero")
	T.err(function() return "4" % 0 end, "'n%%0'")
	T.err(function() return 4 / "0" end)
end)

T.test("nonzero-ok", function()
	T.eq(idiv(9, 3), 3)
	T.eq(div(9, -3), -3)
	T.eq(mod(9, 4), 1)
	T.eq(mod(-1, math.maxinteger), math.maxinteger - 1)
end)

T.test("error-position", function()
	local f = load("local a = 0\nreturn 5 // a", "=chunk")
	local ok, e = pcall(f)
	T.eq(ok, false)
	T.ok(e:find("^chunk:%d+: "), e)
end)

T.test("state-survives", function()
	for _ = 1, 100 do
		pcall(idiv, 1, 0)
		pcall(mod, 1, 0)
	end
	T.eq(idiv(100, 7), 14)
end)

T.test("compound-in-loop", function()
	local t = {}
	for i = -2, 2 do
		local ok, v = pcall(idiv, 12, i)
		t[#t + 1] = ok and v or "E"
	end
	T.same(t, {-6, -12, "E", 12, 6})
end)

return T.done()
