-- Patterns: find, match, gmatch, gsub.
local T = require "ktap"

T.test("find-plain", function()
	T.eq(("hello"):find("l"), 3)
	T.eq(select(2, ("hello"):find("ll")), 4)
	T.eq(("a.b"):find(".", 1, true), 2)
	T.eq(("a+b"):find("+", 1, true), 2)
	T.eq(("abc"):find("x"), nil)
	T.eq(("abc"):find("", 10), nil)
	T.eq(("abc"):find("", 4), 4)
	T.eq(("abcabc"):find("b", -3), 5)
end)

T.test("find-captures", function()
	local s, e, k, v = ("key=val"):find("(%w+)=(%w+)")
	T.same({s, e, k, v}, {1, 7, "key", "val"})
end)

T.test("classes", function()
	T.eq(("  x1_ "):match("%s*(%w+)"), "x1")
	T.eq(("abc123"):match("%d+"), "123")
	T.eq(("abc123"):match("%a+"), "abc")
	T.eq(("a,b;c"):match("%p"), ",")
	T.eq(("heLLo"):match("%u+"), "LL")
	T.eq(("heLLo"):match("%l+"), "he")
	T.eq(("0x1F!"):match("0x(%x+)"), "1F")
	T.eq(("tab\there"):match("%c"), "\t")
end)

T.test("sets-quantifiers", function()
	T.eq(("xaaay"):match("a*"), "")
	T.eq(("xaaay"):match("a+"), "aaa")
	T.eq(("xaaay"):match("xa-"), "x")
	T.eq(("xaaay"):match("xa-y"), "xaaay")
	T.eq(("color colour"):match("colou?r", 2), "colour")
	T.eq(("a-b_c"):match("[%w_]+", 3), "b_c")
	T.eq(("abc-9"):match("[^%a]+"), "-9")
	T.eq(("]x"):match("[]]"), "]")
	T.eq(("a-z"):match("[a%-]+"), "a-")
end)

T.test("anchors", function()
	T.eq(("abc"):match("^b"), nil)
	T.eq(("abc"):match("^a"), "a")
	T.eq(("abc"):match("c$"), "c")
	T.eq(("a$"):match("a$"), nil)
	T.eq(("a$"):match("a%$"), "a$")
	T.eq(("abc"):match("^(.-)$"), "abc")
end)

T.test("balanced-frontier", function()
	T.eq(("f(a(b)c) d"):match("%b()"), "(a(b)c)")
	T.eq(("[x]"):match("%b[]"), "[x]")
	T.eq(("THE (quick) fox"):find("%f[%a]%a+%f[%A]", 2), 6)
	local words = {}
	for w in ("the cat, the hat"):gmatch("%f[%w]%w+") do
		words[#words + 1] = w
	end
	T.same(words, {"the", "cat", "the", "hat"})
end)

T.test("position-backref", function()
	T.same({("hello"):match("()ll()")}, {3, 5})
	T.eq(("say 'hi' now"):match("(['\"])(.-)%1"), "'")
	T.eq(select(2, ("say 'hi' now"):match("(['\"])(.-)%1")), "hi")
	T.same({("abc"):match("(a)(b)(c)")}, {"a", "b", "c"})
	T.same({("ab"):match("((a)(b))")}, {"ab", "a", "b"})
end)

T.test("gmatch", function()
	local t = {}
	for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do
		t[#t + 1] = k .. v
	end
	T.same(t, {"a1", "b2", "c3"})
	local n = 0
	for _ in ("abc"):gmatch("") do n = n + 1 end
	T.eq(n, 4)
	local it = ("x1y22"):gmatch("%d+", 3)
	T.eq(it(), "22")
	T.eq(it(), nil)
end)

T.test("gsub-string", function()
	T.same({("hello world"):gsub("o", "0")}, {"hell0 w0rld", 2})
	T.same({("hello"):gsub("l", "L", 1)}, {"heLlo", 1})
	T.eq(("abc"):gsub("%w", "%0%0"), "aabbcc")
	T.eq(("k=v"):gsub("(%w)=(%w)", "%2=%1"), "v=k")
	T.eq(("50"):gsub("%d+", "%%"), "%")
	T.eq(("abc"):gsub("", "-"), "-a-b-c-")
	T.err(string.gsub, "invalid capture index", "x", "x", "%9")
	T.err(string.gsub, "invalid use of '%%'", "x", "x", "%q")
end)

T.test("gsub-table-func", function()
	local vars = {name = "lua", n = 5}
	T.eq(("$name is $n $none"):gsub("%$(%w+)", vars), "lua is 5 $none")
	T.eq(("1 2 3"):gsub("%d", function(d) return d * 2 end), "2 4 6")
	T.eq(("a b"):gsub("%w", function() return false end), "a b")
	T.err(string.gsub, "invalid replacement value",
		"x", "x", function() return {} end)
	T.err(string.gsub, "string/function/table", "x", "x", true)
end)

T.test("errors", function()
	T.err(string.find, "malformed pattern", "x", "[a")
	T.err(string.find, "malformed pattern", "x", "%")
	T.err(string.find, "missing '%['", "x", "%f")
	T.err(string.match, "invalid capture index", "x", "%1")
	T.err(string.match, "unfinished capture", "x", "(x")
	T.err(string.match, "invalid pattern capture", "x", "x)")
	T.err(string.find, "missing arguments to '%%b'", "x", "%b")
end)

T.test("too-complex", function()
	-- deep matcher recursion is refused with an error, not a crash
	local s = ("a"):rep(100000)
	T.err(string.match, "pattern too complex", s, ("a?"):rep(100000) .. "b")
	local captures = ("("):rep(40) .. (")"):rep(40)
	T.err(string.match, "too many captures", "x", captures)
end)

return T.done()
