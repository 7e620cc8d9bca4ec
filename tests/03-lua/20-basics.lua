-- Basic functions, operators, control flow and the library surface.
-- (print is not called: its output is this file's KTAP stream.)
local T = require "ktap"

T.test("version", function()
	T.eq(_VERSION, "Lua 5.4")
	T.eq(_G._G, _G)
	T.eq(_ENV, _G)
end)

T.test("type", function()
	T.eq(type(nil), "nil")
	T.eq(type(true), "boolean")
	T.eq(type(1), "number")
	T.eq(type(""), "string")
	T.eq(type({}), "table")
	T.eq(type(type), "function")
	T.eq(type(coroutine.create(type)), "thread")
	T.eq(type(io.type), "function")
	T.err(type, "value expected")
end)

T.test("raw-functions", function()
	local t = setmetatable({}, {__index = function() return "meta" end,
		__newindex = function() error("no") end})
	rawset(t, "k", 1)
	T.eq(rawget(t, "k"), 1)
	T.eq(rawget(t, "other"), nil)
	T.eq(t.other, "meta")
	T.eq(rawlen({1, 2}), 2)
	T.eq(rawlen("abc"), 3)
	T.err(rawlen, "table or string expected", 5)
	T.err(rawset, "table expected", 1, 2, 3)
end)

T.test("precedence", function()
	T.eq(2 + 3 * 4, 14)
	T.eq((2 + 3) * 4, 20)
	T.eq(1 | 6 & 3, 3)
	T.eq(1 << 2 + 1, 8)
	T.eq("1" .. 2 + 3, "15")
	T.eq(-2 * -3, 6)
	T.eq(not nil == true, true)
	T.eq(7 - 2 - 1, 4)
	T.eq(100 // 10 // 2, 5)
	T.eq(1 ~ 3 | 4, 6)
	T.eq("a" .. "b" .. "c" == "abc", true)
end)

T.test("and-or", function()
	T.eq(nil or "d", "d")
	T.eq(false and error("not evaluated"), false)
	T.eq(1 and 2, 2)
	T.eq(nil and 1, nil)
	T.eq(false or nil, nil)
	T.eq(0 or 1, 0, "0 is true")
	T.eq("" and "yes", "yes", "empty string is true")
end)

T.test("multiple-assignment", function()
	local a, b = 1, 2
	a, b = b, a
	T.same({a, b}, {2, 1})
	local t = {}
	local i = 1
	i, t[i] = i + 1, "x"
	T.eq(t[1], "x", "subscript evaluated before assignment")
	local x, y, z = 1
	T.same({x, y, z}, {1})
end)

T.test("control-flow", function()
	local n = 0
	repeat local done = n >= 3; n = n + 1 until done
	T.eq(n, 4)
	local w = 0
	while true do w = w + 1 if w == 5 then break end end
	T.eq(w, 5)
	local hits = 0
	for _ = math.maxinteger - 1, math.maxinteger, 2 do hits = hits + 1 end
	T.eq(hits, 1)
	for _ = 1, 0 do error("empty loop ran") end
end)

T.test("shadowing", function()
	local v = 1
	do
		local v = 2
		T.eq(v, 2)
	end
	T.eq(v, 1)
	local function f(v) return v end
	T.eq(f(3), 3)
end)

T.test("number-no-methods", function()
	T.err(function() return (5):rep(2) end, "attempt to index a number value")
	T.eq(("5"):rep(2), "55")
end)

T.test("io-surface", function()
	for _, k in ipairs{"open", "lines", "type"} do
		T.eq(type(io[k]), "function", "io." .. k)
	end
	for _, k in ipairs{"stdout", "stdin", "stderr", "popen", "tmpfile"} do
		T.eq(io[k], nil, "io." .. k)
	end
end)

T.test("libs-present", function()
	for _, name in ipairs{"string", "table", "coroutine", "utf8", "math",
			"io", "package"} do
		T.eq(type(_G[name]), "table", name)
	end
	for _, name in ipairs{"assert", "error", "getmetatable", "ipairs", "load",
			"next", "pairs", "pcall", "print", "rawequal", "rawget",
			"rawlen", "rawset", "require", "select", "setmetatable",
			"tonumber", "tostring", "type", "xpcall",
			"collectgarbage"} do
		T.eq(type(_G[name]), "function", name)
	end
end)

T.test("global-access", function()
	T.eq(rawget(_G, "undefined_global_q"), nil)
	undefined_global_q = 5
	T.eq(_G.undefined_global_q, 5)
	_G.undefined_global_q = nil
	T.eq(undefined_global_q, nil)
end)

return T.done()
