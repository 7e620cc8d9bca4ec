-- Metatables and metamethods.
local T = require "ktap"

T.test("index-table", function()
	local base = {greet = "hi"}
	local mid = setmetatable({mid = 1}, {__index = base})
	local t = setmetatable({}, {__index = mid})
	T.eq(t.greet, "hi")
	T.eq(t.mid, 1)
	T.eq(t.none, nil)
	T.eq(rawget(t, "greet"), nil)
end)

T.test("index-function", function()
	local calls = 0
	local t = setmetatable({present = 1}, {__index = function(self, k)
		calls = calls + 1
		return k .. "!"
	end})
	T.eq(t.x, "x!")
	T.eq(t.present, 1)
	T.eq(calls, 1)
end)

T.test("newindex", function()
	local log = {}
	local t = setmetatable({}, {__newindex = function(self, k, v)
		log[#log + 1] = k
		rawset(self, k, v * 2)
	end})
	t.a = 1
	t.a = 5	-- exists now: no metamethod
	T.eq(t.a, 5)
	T.same(log, {"a"})
	local store = {}
	local p = setmetatable({}, {__newindex = store})
	p.x = 3
	T.eq(rawget(p, "x"), nil)
	T.eq(store.x, 3)
end)

T.test("call", function()
	local t = setmetatable({}, {__call = function(self, a, b)
		return self, a + b
	end})
	local s, r = t(2, 3)
	T.eq(s, t)
	T.eq(r, 5)
	T.err(function() local x = {} x() end, "attempt to call a table value")
end)

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

T.test("tostring-name", function()
	local t = setmetatable({}, {__tostring = function() return "OBJ" end})
	T.eq(tostring(t), "OBJ")
	local n = setmetatable({}, {__name = "MyType"})
	T.ok(tostring(n):find("^MyType: "), tostring(n))
	local bad = setmetatable({}, {__tostring = function() return {} end})
	T.err(tostring, "'__tostring' must return a string", bad)
end)

T.test("metatable-field", function()
	local t = setmetatable({}, {__metatable = "locked"})
	T.eq(getmetatable(t), "locked")
	T.err(setmetatable, "cannot change a protected metatable", t, {})
	T.eq(getmetatable("abc").__metatable, nil)
end)

T.test("setmetatable-args", function()
	T.err(setmetatable, "table expected", 1, {})
	T.err(setmetatable, "nil or table", {}, 1)
	local t = setmetatable({}, {})
	T.eq(setmetatable(t, nil), t)
	T.eq(getmetatable(t), nil)
end)

T.test("pairs-meta", function()
	local t = setmetatable({}, {__pairs = function(self)
		local done = false
		return function()
			if done then return nil end
			done = true
			return "only", 1
		end, self, nil
	end})
	local keys = {}
	for k in pairs(t) do keys[#keys + 1] = k end
	T.same(keys, {"only"})
end)

T.test("index-depth", function()
	local t = {}
	for _ = 1, 100 do t = setmetatable({}, {__index = t}) end
	T.eq(t.x, nil)
	local loop = {}
	setmetatable(loop, {__index = loop})
	T.err(function() return loop.x end, "loop")
end)

return T.done()
