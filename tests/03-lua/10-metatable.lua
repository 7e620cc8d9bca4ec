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
