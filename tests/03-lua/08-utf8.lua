-- The utf8 library.
local T = require "ktap"

local s = "h\u{E9}\u{20AC}\u{1F600}"	-- 1 + 2 + 3 + 4 bytes

T.test("char", function()
	T.eq(utf8.char(72, 0xE9), "H\xC3\xA9")
	T.eq(utf8.char(0x20AC), "\xE2\x82\xAC")
	T.eq(utf8.char(0x1F600), "\xF0\x9F\x98\x80")
	T.eq(utf8.char(), "")
	T.eq(utf8.char(0x7FFFFFFF), "\xFD\xBF\xBF\xBF\xBF\xBF")
	T.err(utf8.char, "value out of range", -1)
	T.err(utf8.char, "value out of range", 0x80000000)
end)

T.test("charpattern", function()
	T.eq(utf8.charpattern, "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
	local n = 0
	for _ in s:gmatch(utf8.charpattern) do n = n + 1 end
	T.eq(n, 4)
end)

T.test("len", function()
	T.eq(#s, 10)
	T.eq(utf8.len(s), 4)
	T.eq(utf8.len(""), 0)
	T.eq(utf8.len(s, 2), 3)
	T.eq(utf8.len(s, -4), 1)
	T.eq(utf8.len(s, 1, 2), 2)
end)

T.test("len-invalid", function()
	T.same({utf8.len("ab\xffcd")}, {nil, 3})
	T.same({utf8.len("\xC3")}, {nil, 1})
	T.same({utf8.len("a\xC0\x80")}, {nil, 2}, "overlong")
	T.same({utf8.len("\xED\xA0\x80")}, {nil, 1}, "surrogate")
	T.eq(utf8.len("\xED\xA0\x80", 1, -1, true), 1, "lax")
	T.err(utf8.len, "out of bounds", "abc", 5)
end)

T.test("codepoint", function()
	T.eq(utf8.codepoint(s), 0x68)
	T.eq(utf8.codepoint(s, 2), 0xE9)
	T.same({utf8.codepoint(s, 1, -1)}, {0x68, 0xE9, 0x20AC, 0x1F600})
	T.err(utf8.codepoint, "invalid UTF%-8 code", s, 3)
	T.err(utf8.codepoint, "out of bounds", s, 11)
	T.same({utf8.codepoint(s, 5, 4)}, {})
end)

T.test("codes", function()
	local pos, cps = {}, {}
	for p, c in utf8.codes(s) do
		pos[#pos + 1] = p
		cps[#cps + 1] = c
	end
	T.same(pos, {1, 2, 4, 7})
	T.same(cps, {0x68, 0xE9, 0x20AC, 0x1F600})
end)

T.test("codes-invalid", function()
	T.err(function()
		for _ in utf8.codes("a\xffb") do end
	end, "invalid UTF%-8 code")
	T.err(function()
		for _ in utf8.codes("a\xC3") do end
	end, "invalid UTF%-8 code")
end)

T.test("offset", function()
	T.eq(utf8.offset(s, 1), 1)
	T.eq(utf8.offset(s, 3), 4)
	T.eq(utf8.offset(s, 4), 7)
	T.eq(utf8.offset(s, 5), 11)
	T.eq(utf8.offset(s, 6), nil)
	T.eq(utf8.offset(s, -1), 7)
	T.eq(utf8.offset(s, -4), 1)
	T.eq(utf8.offset(s, 0, 9), 7, "start of the char holding byte 9")
	T.err(utf8.offset, "continuation byte", s, 1, 3)
	T.err(utf8.offset, "out of bounds", s, 1, 12)
end)

T.test("roundtrip", function()
	local cps = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}
	local str = utf8.char(table.unpack(cps))
	T.same({utf8.codepoint(str, 1, -1)}, cps)
	T.eq(utf8.len(str), #cps)
end)

return T.done()
