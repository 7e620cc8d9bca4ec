-- Strings: literals, escapes, comparison and the basic string functions.
local T = require "ktap"

T.test("escapes", function()
	T.eq("\65\066\x43", "ABC")
	T.eq("\u{48}\u{49}", "HI")
	T.eq(#"\u{7FF}", 2)
	T.eq("a\z
	      b", "ab")
	T.eq("\0x", string.char(0, 120))
	T.eq(#"tab\there", 8)
	T.err(function() assert(load([[return "\400"]])) end, "escape")
end)

T.test("long-strings", function()
	T.eq([[
line]], "line")
	T.eq([==[a]]b]==], "a]]b")
	T.eq(#[[x
y]], 3)
end)

T.test("len", function()
	T.eq(#"", 0)
	T.eq(#"abc", 3)
	T.eq(("a\0b"):len(), 3)
	T.eq(string.len("\0\0"), 2)
end)

T.test("byte-char", function()
	T.eq(string.byte("A"), 65)
	T.eq(select("#", string.byte("abc", 1, -1)), 3)
	T.eq(select(3, ("abc"):byte(1, 3)), 99)
	T.eq(("abc"):byte(10), nil)
	T.eq(string.char(104, 105), "hi")
	T.eq(string.char(), "")
	T.err(string.char, "value out of range", 256)
	T.err(string.char, "value out of range", -1)
	T.err(string.char, "number expected", 65, "x")
	-- short and long strings (the port builds short ones on the stack)
	local t = {}
	for i = 1, 40 do t[i] = 64 + i end
	for _, n in ipairs{1, 15, 16, 17, 40} do
		local s = string.char(table.unpack(t, 1, n))
		T.eq(#s, n)
		T.eq(s:byte(n), 64 + n)
		T.eq(s, ("ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh"):sub(1, n))
	end
	t[17] = 256
	T.err(string.char, "#17 to '[%w.]*char' %(value out of range%)", table.unpack(t))
	t[17] = 81; t[16] = -1
	T.err(string.char, "#16 to '[%w.]*char' %(value out of range%)", table.unpack(t, 1, 16))
end)

T.test("sub", function()
	local s = "hello world"
	T.eq(s:sub(1, 5), "hello")
	T.eq(s:sub(-5), "world")
	T.eq(s:sub(-100, 2), "he")
	T.eq(s:sub(7, 100), "world")
	T.eq(s:sub(5, 4), "")
	T.eq(s:sub(0), s)
	T.eq(s:sub(math.mininteger, math.maxinteger), s)
end)

T.test("rep", function()
	T.eq(("ab"):rep(3), "ababab")
	T.eq(("ab"):rep(3, ","), "ab,ab,ab")
	T.eq(("x"):rep(0), "")
	T.eq(("x"):rep(-1), "")
	T.eq(("x"):rep(1, "sep"), "x")
	T.err(string.rep, "too large", "x", math.maxinteger)
end)

T.test("case", function()
	T.eq(("MiXeD 123"):upper(), "MIXED 123")
	T.eq(("MiXeD 123"):lower(), "mixed 123")
	T.eq(string.upper("\xe9"), "\xe9", "non-ASCII byte untouched")
end)

T.test("reverse", function()
	T.eq(("abc"):reverse(), "cba")
	T.eq((""):reverse(), "")
	T.eq(("a\0b"):reverse(), "b\0a")
end)

T.test("compare", function()
	T.ok("a" < "b")
	T.ok("abc" < "abd")
	T.ok("ab" < "abc")
	T.ok("" < "a")
	T.ok("a\0b" > "a")
	T.ok("Z" < "a")
	T.ok(not ("b" <= "a"))
end)

T.test("concat", function()
	T.eq("a" .. "b" .. "c", "abc")
	T.eq("n=" .. 42, "n=42")
	T.err(function() return "a" .. nil end, "concatenate a nil value")
	T.err(function() return "a" .. {} end, "concatenate a table value")
	T.err(function() return "a" .. true end, "concatenate a boolean")
end)

T.test("string-metatable", function()
	local mt = getmetatable("")
	T.eq(mt.__index, string)
	T.eq(("x"):rep(2), "xx")
	T.err(function() return ("x"):nosuch() end, "nosuch")
end)

T.test("tostring", function()
	T.eq(tostring(true), "true")
	T.eq(tostring(nil), "nil")
	T.ok(tostring({}):find("^table: "), "table")
	T.ok(tostring(print):find("^function: "), "function")
	T.eq(tostring("s"), "s")
end)

T.test("interning", function()
	local a = "abc" .. "def"
	local b = "abcdef"
	T.ok(rawequal(a, b))
	local t = {}
	t[a] = 1
	T.eq(t[b], 1)
	local long = ("x"):rep(100)
	T.eq(t[long], nil)
	t[long] = 2
	T.eq(t[("x"):rep(50) .. ("x"):rep(50)], 2)
end)

return T.done()
