-- Operator metamethods: comparison, arithmetic, bitwise, concat, length.
local T = require "ktap"

T.test("eq", function()
	local mt = {__eq = function(a, b) return a.v == b.v end}
	local a = setmetatable({v = 1}, mt)
	local b = setmetatable({v = 1}, mt)
	local c = setmetatable({v = 2}, mt)
	T.ok(a == b)
	T.ok(a ~= c)
	T.ok(not rawequal(a, b))
	T.ok(a ~= 1, "no __eq across types")
end)

T.test("lt-le", function()
	local mt = {
		__lt = function(a, b) return a.v < b.v end,
		__le = function(a, b) return a.v <= b.v end,
	}
	local a = setmetatable({v = 1}, mt)
	local b = setmetatable({v = 2}, mt)
	T.ok(a < b)
	T.ok(b > a)
	T.ok(a <= a)
	T.ok(not (b <= a))
	T.err(function() return {} < {} end, "attempt to compare two table")
end)

T.test("arith", function()
	local mt = {}
	local function V(v) return setmetatable({v = v}, mt) end
	local function val(x) return type(x) == "table" and x.v or x end
	for _, op in ipairs{"add", "sub", "mul", "mod", "idiv", "band", "bor",
			"bxor", "shl", "shr"} do
		mt["__" .. op] = function(a, b) return op .. val(a) .. val(b) end
	end
	mt.__unm = function(a) return "unm" .. a.v end
	mt.__bnot = function(a) return "bnot" .. a.v end
	local x = V(3)
	T.eq(x + 1, "add31")
	T.eq(2 - x, "sub23")
	T.eq(x * x, "mul33")
	T.eq(x % 2, "mod32")
	T.eq(x // 2, "idiv32")
	T.eq(x & 1, "band31")
	T.eq(x | 1, "bor31")
	T.eq(x ~ 1, "bxor31")
	T.eq(x << 1, "shl31")
	T.eq(x >> 1, "shr31")
	T.eq(-x, "unm3")
	T.eq(~x, "bnot3")
end)

T.test("slash-metamethod", function()
	local mt = {__div = function() return "div" end,
		__idiv = function() return "idiv" end}
	local r = setmetatable({}, mt) / 2
	T.ok(r == "div" or r == "idiv", tostring(r))
	T.err(function() return {} / 2 end, "arithmetic on a table")
end)

T.test("concat", function()
	local mt = {__concat = function(a, b)
		local function s(x) return type(x) == "table" and "T" or x end
		return s(a) .. s(b)
	end}
	local t = setmetatable({}, mt)
	T.eq(t .. "x", "Tx")
	T.eq(1 .. t, "1T")
	T.eq("a" .. "b" .. t, "abT")
end)

T.test("len", function()
	local t = setmetatable({1, 2, 3}, {__len = function() return 42 end})
	T.eq(#t, 42)
	T.eq(rawlen(t), 3)
	T.err(function() return #nil end, "length of a nil value")
end)

return T.done()
